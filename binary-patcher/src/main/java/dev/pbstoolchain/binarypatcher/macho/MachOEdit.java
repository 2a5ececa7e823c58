package dev.pbstoolchain.binarypatcher.macho;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One install_name_tool invocation: every edit applied together, to every slice.
 *
 * @param changes {@code -change old new} on the dylib-loading commands
 * @param id {@code -id name}, or null
 * @param addRpaths {@code -add_rpath path}
 * @param deleteRpaths {@code -delete_rpath path}
 * @param renameRpaths {@code -rpath old new}
 * @param adhocSign sign ad hoc even if the input is unsigned or signed with an identity
 * @param output where to write, or null for in place
 * @param identifier the identifier of a NEW ad-hoc signature, or null for the file's name
 */
public record MachOEdit(
    Map<String, String> changes,
    String id,
    List<String> addRpaths,
    List<String> deleteRpaths,
    Map<String, String> renameRpaths,
    boolean adhocSign,
    Path output,
    String identifier) {

  public MachOEdit {
    changes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(changes));
    addRpaths = List.copyOf(addRpaths);
    deleteRpaths = List.copyOf(deleteRpaths);
    renameRpaths = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(renameRpaths));
  }

  /** The same edits, in place on a slice cut out of a fat file named {@code fatName}. */
  MachOEdit forSlice(String fatName) {
    return new MachOEdit(
        changes, id, addRpaths, deleteRpaths, renameRpaths, adhocSign, null, fatName);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects edits in command-line order. */
  public static final class Builder {
    private final Map<String, String> changes = new LinkedHashMap<>();
    private String id;
    private final List<String> addRpaths = new ArrayList<>();
    private final List<String> deleteRpaths = new ArrayList<>();
    private final Map<String, String> renameRpaths = new LinkedHashMap<>();
    private boolean adhocSign;
    private Path output;

    public Builder change(String from, String to) {
      changes.put(from, to);
      return this;
    }

    public Builder id(String value) {
      id = value;
      return this;
    }

    public Builder addRpath(String value) {
      addRpaths.add(value);
      return this;
    }

    public Builder deleteRpath(String value) {
      deleteRpaths.add(value);
      return this;
    }

    public Builder renameRpath(String from, String to) {
      renameRpaths.put(from, to);
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

    public MachOEdit build() {
      return new MachOEdit(
          changes, id, addRpaths, deleteRpaths, renameRpaths, adhocSign, output, null);
    }
  }
}
