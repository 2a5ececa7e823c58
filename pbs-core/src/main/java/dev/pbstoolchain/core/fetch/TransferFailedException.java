package dev.pbstoolchain.core.fetch;

import java.io.IOException;

/**
 * A download that the network, not the file, ended for good (too slow, cut too often, gone while
 * resuming). It travels up through the decompressor and the unpacker unchanged, so the user is told
 * about the network, never about a "corrupt archive".
 */
class TransferFailedException extends IOException {

  private static final long serialVersionUID = 1L;

  TransferFailedException(String message) {
    super(message);
  }

  TransferFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
