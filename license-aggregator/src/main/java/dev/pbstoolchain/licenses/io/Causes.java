package dev.pbstoolchain.licenses.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** An I/O failure as a user reads it: what happened to which file, without Java class names. */
public final class Causes {

  private Causes() {}

  public static String describe(IOException e) {
    if (e instanceof FileSystemException fs && fs.getFile() != null) {
      String what =
          e instanceof AccessDeniedException
              ? "permission denied"
              : e instanceof NoSuchFileException
                  ? "no such file or directory"
                  : e instanceof FileAlreadyExistsException
                      ? "a file is in the way"
                      : e instanceof NotDirectoryException
                          ? "not a directory"
                          : e instanceof DirectoryNotEmptyException
                              ? "directory not empty"
                              : fs.getReason() != null ? fs.getReason() : "file system error";
      return what + ": " + fs.getFile();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
