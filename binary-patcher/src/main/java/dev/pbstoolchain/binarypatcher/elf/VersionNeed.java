package dev.pbstoolchain.binarypatcher.elf;

import java.util.List;

/**
 * One {@code Elf_Verneed} of {@code .gnu.version_r}: a needed library and the symbol versions (e.g.
 * {@code GLIBC_2.17}) the binary requires from it.
 *
 * @param file the library ({@code vn_file}), e.g. {@code libc.so.6}
 * @param versions the required version names ({@code vna_name})
 * @param fileFieldOffset where {@code vn_file} sits in the file, so a rename can follow it
 */
public record VersionNeed(String file, List<String> versions, long fileFieldOffset) {

  public VersionNeed {
    versions = List.copyOf(versions);
  }
}
