package dev.pbstoolchain.licenses.model;

import java.util.List;
import java.util.Set;

/**
 * One licensed part of the distribution: CPython itself or a bundled library.
 *
 * @param name e.g. {@code CPython}, {@code openssl-3}, {@code sqlite}
 * @param spdx SPDX ids; all of them apply (AND)
 * @param licensePaths licence files, relative to {@code python/}
 * @param publicDomain whether PBS marks it public domain
 * @param usedBy extension modules that pull it in (empty for the core)
 */
public record Component(
    String name,
    List<String> spdx,
    List<String> licensePaths,
    boolean publicDomain,
    Set<String> usedBy) {

  public Component {
    spdx = List.copyOf(spdx);
    licensePaths = List.copyOf(licensePaths);
    usedBy = Set.copyOf(new java.util.TreeSet<>(usedBy));
  }

  public List<String> sortedUsers() {
    return usedBy.stream().sorted().toList();
  }
}
