package dev.pbstoolchain.binarypatcher.elf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One set of edits applied together, as one patchelf invocation does.
 *
 * @param setRunpath new search path, or {@code null} to leave it
 * @param addRunpath paths appended to the existing search path ({@code --add-rpath})
 * @param removeRunpath drop DT_RUNPATH and DT_RPATH
 * @param forceRpath write DT_RPATH instead of DT_RUNPATH (converting an existing one)
 * @param shrinkRunpath keep only the search path entries that hold a needed library ({@code
 *     --shrink-rpath}); relative and {@code $ORIGIN} entries are kept
 * @param allowedRpathPrefixes with shrinking, drop absolute entries outside these prefixes
 * @param addNeeded libraries to add as DT_NEEDED (first, in order)
 * @param removeNeeded DT_NEEDED entries to drop
 * @param replaceNeeded DT_NEEDED renames (also applied to {@code .gnu.version_r})
 * @param setSoname new DT_SONAME, or {@code null}
 * @param setInterpreter new PT_INTERP path, or {@code null}
 * @param pageSize alignment of a new segment, or 0 for the machine's default
 * @param osAbi new {@code EI_OSABI} byte, or -1 to leave it
 * @param executableStack set ({@code TRUE}) or clear ({@code FALSE}) PF_X of PT_GNU_STACK, adding
 *     that header when missing; {@code null} leaves it
 * @param addDebugTag add a DT_DEBUG entry when there is none (debuggers find the link map there)
 * @param noDefaultLib set DF_1_NODEFLIB so the loader skips the default library directories
 * @param clearSymbolVersion dynamic symbols whose {@code .gnu.version} entry becomes 1 (global)
 * @param renameDynamicSymbols new names of dynamic symbols, by old name; the hash tables follow
 * @param buildResolutionCache record where each DT_NEEDED library is found in a {@code
 *     .note.nixos.ldcache} note, as patchelf 0.19's {@code --build-resolution-cache}
 * @param output where to write, or {@code null} to edit the input in place
 */
public record ElfEdit(
    String setRunpath,
    List<String> addRunpath,
    boolean removeRunpath,
    boolean forceRpath,
    boolean shrinkRunpath,
    List<String> allowedRpathPrefixes,
    List<String> addNeeded,
    Set<String> removeNeeded,
    Map<String, String> replaceNeeded,
    String setSoname,
    String setInterpreter,
    long pageSize,
    int osAbi,
    Boolean executableStack,
    boolean addDebugTag,
    boolean noDefaultLib,
    Set<String> clearSymbolVersion,
    Map<String, String> renameDynamicSymbols,
    boolean buildResolutionCache,
    Path output) {

  public ElfEdit {
    addRunpath = List.copyOf(addRunpath);
    allowedRpathPrefixes = List.copyOf(allowedRpathPrefixes);
    addNeeded = List.copyOf(addNeeded);
    removeNeeded = Set.copyOf(removeNeeded);
    replaceNeeded = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replaceNeeded));
    clearSymbolVersion = Set.copyOf(clearSymbolVersion);
    renameDynamicSymbols = Map.copyOf(renameDynamicSymbols);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This edit with every string in its raw form (its UTF-8 bytes, see {@link RawString}). */
  ElfEdit raw() {
    java.util.function.UnaryOperator<String> r = RawString::of;
    Map<String, String> replace = new LinkedHashMap<>();
    replaceNeeded.forEach((k, v) -> replace.put(r.apply(k), r.apply(v)));
    Map<String, String> rename = new LinkedHashMap<>();
    renameDynamicSymbols.forEach((k, v) -> rename.put(r.apply(k), r.apply(v)));
    return new ElfEdit(
        r.apply(setRunpath),
        addRunpath.stream().map(r).toList(),
        removeRunpath,
        forceRpath,
        shrinkRunpath,
        allowedRpathPrefixes.stream().map(r).toList(),
        addNeeded.stream().map(r).toList(),
        removeNeeded.stream().map(r).collect(java.util.stream.Collectors.toSet()),
        replace,
        r.apply(setSoname),
        r.apply(setInterpreter),
        pageSize,
        osAbi,
        executableStack,
        addDebugTag,
        noDefaultLib,
        clearSymbolVersion.stream().map(r).collect(java.util.stream.Collectors.toSet()),
        rename,
        buildResolutionCache,
        output);
  }

  boolean touchesRunpath() {
    return setRunpath != null
        || !addRunpath.isEmpty()
        || removeRunpath
        || forceRpath
        || shrinkRunpath;
  }

  /** Whether this edit may change the file (or write it elsewhere): any edit, or an output. */
  public boolean touchesFile() {
    return touchesDynamic()
        || setInterpreter != null && !setInterpreter.isEmpty()
        || osAbi >= 0
        || executableStack != null
        || buildResolutionCache
        || output != null;
  }

  boolean touchesDynamic() {
    return touchesRunpath()
        || !addNeeded.isEmpty()
        || !removeNeeded.isEmpty()
        || !replaceNeeded.isEmpty()
        || setSoname != null
        || addDebugTag
        || noDefaultLib
        || !clearSymbolVersion.isEmpty()
        || !renameDynamicSymbols.isEmpty()
        || buildResolutionCache;
  }

  /** Collects edits; every method may be called several times like repeated patchelf flags. */
  public static final class Builder {
    private String setRunpath;
    private final List<String> addRunpath = new ArrayList<>();
    private boolean removeRunpath;
    private boolean forceRpath;
    private boolean shrinkRunpath;
    private final List<String> allowedRpathPrefixes = new ArrayList<>();
    private final List<String> addNeeded = new ArrayList<>();
    private final Set<String> removeNeeded = new LinkedHashSet<>();
    private final Map<String, String> replaceNeeded = new LinkedHashMap<>();
    private String setSoname;
    private String setInterpreter;
    private long pageSize;
    private int osAbi = -1;
    private Boolean executableStack;
    private boolean addDebugTag;
    private boolean noDefaultLib;
    private final Set<String> clearSymbolVersion = new LinkedHashSet<>();
    private final Map<String, String> renameDynamicSymbols = new LinkedHashMap<>();
    private boolean buildResolutionCache;
    private Path output;

    public Builder setRunpath(String value) {
      setRunpath = value;
      return this;
    }

    public Builder addRunpath(String value) {
      addRunpath.add(value);
      return this;
    }

    public Builder removeRunpath() {
      removeRunpath = true;
      return this;
    }

    public Builder forceRpath() {
      forceRpath = true;
      return this;
    }

    public Builder shrinkRunpath() {
      shrinkRunpath = true;
      return this;
    }

    public Builder allowedRpathPrefixes(List<String> prefixes) {
      allowedRpathPrefixes.addAll(prefixes);
      return this;
    }

    public Builder addNeeded(String value) {
      addNeeded.add(value);
      return this;
    }

    public Builder removeNeeded(String value) {
      removeNeeded.add(value);
      return this;
    }

    public Builder replaceNeeded(String from, String to) {
      replaceNeeded.put(from, to);
      return this;
    }

    public Builder setSoname(String value) {
      setSoname = value;
      return this;
    }

    public Builder setInterpreter(String value) {
      setInterpreter = value;
      return this;
    }

    public Builder pageSize(long value) {
      pageSize = value;
      return this;
    }

    public Builder osAbi(int value) {
      osAbi = value;
      return this;
    }

    public Builder executableStack(boolean value) {
      executableStack = value;
      return this;
    }

    public Builder addDebugTag() {
      addDebugTag = true;
      return this;
    }

    public Builder noDefaultLib() {
      noDefaultLib = true;
      return this;
    }

    public Builder clearSymbolVersion(String symbol) {
      clearSymbolVersion.add(symbol);
      return this;
    }

    public Builder renameDynamicSymbol(String from, String to) {
      renameDynamicSymbols.put(from, to);
      return this;
    }

    public Builder buildResolutionCache() {
      buildResolutionCache = true;
      return this;
    }

    public Builder output(Path value) {
      output = value;
      return this;
    }

    public ElfEdit build() {
      return new ElfEdit(
          setRunpath,
          addRunpath,
          removeRunpath,
          forceRpath,
          shrinkRunpath,
          allowedRpathPrefixes,
          addNeeded,
          removeNeeded,
          replaceNeeded,
          setSoname,
          setInterpreter,
          pageSize,
          osAbi,
          executableStack,
          addDebugTag,
          noDefaultLib,
          clearSymbolVersion,
          renameDynamicSymbols,
          buildResolutionCache,
          output);
    }
  }
}
