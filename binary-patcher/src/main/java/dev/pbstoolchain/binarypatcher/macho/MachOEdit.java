package dev.pbstoolchain.binarypatcher.macho;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One install_name_tool invocation: every edit applied together, to every slice, in the order
 * Apple's and LLVM's tools apply them: deletions, {@code -rpath} renames, {@code -id}, {@code
 * -change}, then {@code -add_rpath} (appended) and {@code -prepend_rpath} (each put first).
 *
 * @param changes {@code -change old new} on the dylib-loading commands; the first one given for an
 *     old name is the one that counts, and a change never applies to another change's result
 * @param id {@code -id name} for a dynamic library (ignored for other file types), or null
 * @param addRpaths {@code -add_rpath path}
 * @param prependRpaths {@code -prepend_rpath path}
 * @param deleteRpaths {@code -delete_rpath path}
 * @param deleteAllRpaths {@code -delete_all_rpaths}
 * @param renameRpaths {@code -rpath old new}
 * @param adhocSign sign ad hoc even if the input is unsigned or signed with an identity
 * @param output where to write, or null for in place
 * @param identifier the identifier of a NEW ad-hoc signature, or null for the file's name
 */
public record MachOEdit(
    Map<String, String> changes,
    String id,
    List<String> addRpaths,
    List<String> prependRpaths,
    List<String> deleteRpaths,
    boolean deleteAllRpaths,
    Map<String, String> renameRpaths,
    boolean adhocSign,
    Path output,
    String identifier) {

  public MachOEdit {
    changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
    addRpaths = List.copyOf(addRpaths);
    prependRpaths = List.copyOf(prependRpaths);
    deleteRpaths = List.copyOf(deleteRpaths);
    renameRpaths = Collections.unmodifiableMap(new LinkedHashMap<>(renameRpaths));
  }

  /** The same edits, in place on a slice cut out of a fat file named {@code fatName}. */
  MachOEdit forSlice(String fatName) {
    return new MachOEdit(
        changes,
        id,
        addRpaths,
        prependRpaths,
        deleteRpaths,
        deleteAllRpaths,
        renameRpaths,
        adhocSign,
        null,
        fatName);
  }

  /** Whether any edit touches LC_RPATH commands. */
  boolean editsRpaths() {
    return !addRpaths.isEmpty()
        || !prependRpaths.isEmpty()
        || !deleteRpaths.isEmpty()
        || deleteAllRpaths
        || !renameRpaths.isEmpty();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects edits in command-line order. {@link #build} refuses contradictory ones with LLVM's
   * words (e.g. {@code cannot specify both -add_rpath 'x' and -delete_rpath 'x'}).
   */
  public static final class Builder {
    private final Map<String, String> changes = new LinkedHashMap<>();
    private String id;
    private final List<String> addRpaths = new ArrayList<>();
    private final List<String> prependRpaths = new ArrayList<>();
    private final List<String> deleteRpaths = new ArrayList<>();
    private boolean deleteAllRpaths;
    private final Map<String, String> renameRpaths = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private boolean adhocSign;
    private Path output;

    public Builder change(String from, String to) {
      changes.putIfAbsent(from, to);
      return this;
    }

    public Builder id(String value) {
      if (value.isEmpty()) {
        problems.add("cannot specify an empty id");
      }
      id = value;
      return this;
    }

    public Builder addRpath(String value) {
      if (addRpaths.contains(value)) {
        problems.add("rpath '" + value + "' would create a duplicate load command");
      }
      addRpaths.add(value);
      return this;
    }

    public Builder prependRpath(String value) {
      if (prependRpaths.contains(value)) {
        problems.add("rpath '" + value + "' would create a duplicate load command");
      }
      prependRpaths.add(value);
      return this;
    }

    public Builder deleteRpath(String value) {
      if (!deleteRpaths.contains(value)) {
        deleteRpaths.add(value);
      }
      return this;
    }

    public Builder deleteAllRpaths() {
      deleteAllRpaths = true;
      return this;
    }

    public Builder renameRpath(String from, String to) {
      for (var earlier : renameRpaths.entrySet()) {
        if (matches(earlier, from) || matches(earlier, to)) {
          problems.add(
              "cannot specify both "
                  + rpathOption(earlier.getKey(), earlier.getValue())
                  + " and "
                  + rpathOption(from, to));
        }
      }
      renameRpaths.putIfAbsent(from, to);
      return this;
    }

    public Builder adhocSign() {
      adhocSign = true;
      return this;
    }

    public Builder output(Path value) {
      output = value;
      return this;
    }

    /**
     * The edit.
     *
     * @throws IllegalArgumentException naming every pair of options that contradict each other
     */
    public MachOEdit build() {
      List<String> all = new ArrayList<>(problems);
      for (String path : deleteRpaths) {
        conflicts("-add_rpath", addRpaths, path, "-delete_rpath '" + path + "'", all);
        conflicts("-prepend_rpath", prependRpaths, path, "-delete_rpath '" + path + "'", all);
      }
      for (var rename : renameRpaths.entrySet()) {
        String option = rpathOption(rename.getKey(), rename.getValue());
        for (String path : addRpaths) {
          if (matches(rename, path)) {
            all.add("cannot specify both -add_rpath '" + path + "' and " + option);
          }
        }
        for (String path : prependRpaths) {
          if (matches(rename, path)) {
            all.add("cannot specify both -prepend_rpath '" + path + "' and " + option);
          }
        }
        for (String path : deleteRpaths) {
          if (matches(rename, path)) {
            all.add("cannot specify both -delete_rpath '" + path + "' and " + option);
          }
        }
      }
      if (!all.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", all));
      }
      return new MachOEdit(
          changes,
          id,
          addRpaths,
          prependRpaths,
          deleteRpaths,
          deleteAllRpaths,
          renameRpaths,
          adhocSign,
          output,
          null);
    }

    private static void conflicts(
        String option, List<String> paths, String path, String other, List<String> problems) {
      if (paths.contains(path)) {
        problems.add("cannot specify both " + option + " '" + path + "' and " + other);
      }
    }

    private static boolean matches(Map.Entry<String, String> rename, String path) {
      return rename.getKey().equals(path) || rename.getValue().equals(path);
    }

    private static String rpathOption(String from, String to) {
      return "-rpath '" + from + "' '" + to + "'";
    }
  }
}
