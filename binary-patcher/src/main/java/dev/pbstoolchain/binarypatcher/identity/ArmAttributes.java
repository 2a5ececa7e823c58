package dev.pbstoolchain.binarypatcher.identity;

import dev.pbstoolchain.binarypatcher.BinaryFormatException;
import dev.pbstoolchain.binarypatcher.identity.Architecture.FloatAbi;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads {@code Tag_ABI_VFP_args} from an ARM build attributes section ("Addenda to, and Errata in,
 * the ABI for the Arm Architecture", "Build Attributes"): format version 'A', then vendor
 * subsections (length, name), each holding File/Section/Symbol scopes of (tag, value) pairs.
 */
final class ArmAttributes {

  private static final int FORMAT_VERSION = 'A';
  private static final int TAG_FILE = 1;
  private static final int TAG_CPU_RAW_NAME = 4;
  private static final int TAG_CPU_NAME = 5;
  private static final int TAG_ABI_VFP_ARGS = 28;
  private static final int TAG_COMPATIBILITY = 32;
  private static final int TAG_ALSO_COMPATIBLE_WITH = 65;
  private static final int TAG_CONFORMANCE = 67;

  /** Tag_ABI_VFP_args values: base AAPCS (core registers) and VFP registers. */
  private static final long VFP_ARGS_BASE = 0;

  private static final long VFP_ARGS_VFP = 1;

  private ArmAttributes() {}

  static FloatAbi vfpArgs(ByteBuffer section, Path file) throws BinaryFormatException {
    if (!section.hasRemaining() || section.get() != FORMAT_VERSION) {
      return FloatAbi.UNKNOWN;
    }
    while (section.remaining() >= 4) {
      int start = section.position();
      long length = section.getInt() & 0xffffffffL;
      if (length < 4 || length > section.limit() - start) {
        throw corrupt(file, "a vendor subsection length of " + length);
      }
      int end = (int) (start + length);
      String vendor = string(section, end, file);
      if (vendor.equals("aeabi")) {
        FloatAbi abi = scopes(section.slice(section.position(), end - section.position()), file);
        if (abi != FloatAbi.UNKNOWN) {
          return abi;
        }
      }
      section.position(end);
    }
    return FloatAbi.UNKNOWN;
  }

  private static FloatAbi scopes(ByteBuffer vendor, Path file) throws BinaryFormatException {
    vendor.order(java.nio.ByteOrder.LITTLE_ENDIAN);
    while (vendor.hasRemaining()) {
      int start = vendor.position();
      long scope = uleb(vendor, file);
      if (vendor.remaining() < 4) {
        throw corrupt(file, "a scope without its size");
      }
      long size = vendor.getInt() & 0xffffffffL;
      if (size < 5 || size > vendor.limit() - start) {
        throw corrupt(file, "a scope size of " + size);
      }
      int end = (int) (start + size);
      if (scope == TAG_FILE) {
        ByteBuffer attributes = vendor.slice(vendor.position(), end - vendor.position());
        while (attributes.hasRemaining()) {
          long tag = uleb(attributes, file);
          if (tag == TAG_ABI_VFP_ARGS) {
            long value = uleb(attributes, file);
            return value == VFP_ARGS_VFP
                ? FloatAbi.HARD
                : value == VFP_ARGS_BASE ? FloatAbi.SOFT : FloatAbi.UNKNOWN;
          }
          skipValue(attributes, tag, file);
        }
        // An attribute left out has its default value, 0: the base standard (core registers).
        return FloatAbi.SOFT;
      }
      vendor.position(end);
    }
    return FloatAbi.UNKNOWN;
  }

  /** Tags below 32 are known; above, even tags hold a number and odd ones a string. */
  private static void skipValue(ByteBuffer in, long tag, Path file) throws BinaryFormatException {
    if (tag == TAG_COMPATIBILITY) {
      uleb(in, file);
      string(in, in.limit(), file);
    } else if (tag == TAG_CPU_RAW_NAME
        || tag == TAG_CPU_NAME
        || tag == TAG_ALSO_COMPATIBLE_WITH
        || tag == TAG_CONFORMANCE
        || (tag > TAG_COMPATIBILITY && tag % 2 == 1)) {
      string(in, in.limit(), file);
    } else {
      uleb(in, file);
    }
  }

  private static long uleb(ByteBuffer in, Path file) throws BinaryFormatException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!in.hasRemaining()) {
        throw corrupt(file, "a number cut off at the end");
      }
      int b = in.get() & 0xff;
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw corrupt(file, "a number longer than 64 bits");
  }

  private static String string(ByteBuffer in, int end, Path file) throws BinaryFormatException {
    int start = in.position();
    for (int i = start; i < end; i++) {
      if (in.get(i) == 0) {
        byte[] bytes = new byte[i - start];
        in.get(bytes);
        in.get();
        return new String(bytes, StandardCharsets.ISO_8859_1);
      }
    }
    throw corrupt(file, "a string without its terminating NUL");
  }

  private static BinaryFormatException corrupt(Path file, String what) {
    return new BinaryFormatException(
        file, "the .ARM.attributes section is corrupt: it holds " + what);
  }
}
