package dev.pbstoolchain.publishing.yum;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.rpm.RpmFile;
import dev.pbstoolchain.publishing.rpm.RpmHeader;
import dev.pbstoolchain.publishing.rpm.RpmVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a yum repository says about one rpm, read from its headers the way createrepo_c reads them
 * (its parsehdr.c): names, sizes, the header's byte range, files with their kind, and the
 * dependencies with rpmlib() requirements, the package's own primary files, provided and repeated
 * requirements dropped, and only the highest libc.so.6 requirement kept.
 */
record RpmPackage(
    String name,
    String arch,
    String epoch,
    String version,
    String release,
    String summary,
    String description,
    String packager,
    String url,
    long buildTime,
    String license,
    String vendor,
    String group,
    String buildHost,
    String sourceRpm,
    long installedSize,
    long archiveSize,
    long headerStart,
    long headerEnd,
    List<PackageFile> files,
    Map<DependencyKind, List<Dependency>> dependencies,
    List<Changelog> changelogs) {

  /** A file or directory the package owns; {@code type} is "", "dir" or "ghost". */
  record PackageFile(String path, String type) {}

  /** One dependency entry as repodata lists it (flags null when unversioned). */
  record Dependency(
      String name, String flags, String epoch, String version, String release, boolean pre) {}

  /** One changelog entry. */
  record Changelog(String author, long date, String text) {}

  /** The dependency kinds, in primary.xml's order, with their rpm tags (name, flags, version). */
  enum DependencyKind {
    PROVIDES("rpm:provides", 1047, 1112, 1113),
    REQUIRES("rpm:requires", 1049, 1048, 1050),
    CONFLICTS("rpm:conflicts", 1054, 1053, 1055),
    OBSOLETES("rpm:obsoletes", 1090, 1114, 1115),
    SUGGESTS("rpm:suggests", 5049, 5051, 5050),
    ENHANCES("rpm:enhances", 5055, 5057, 5056),
    RECOMMENDS("rpm:recommends", 5046, 5048, 5047),
    SUPPLEMENTS("rpm:supplements", 5052, 5054, 5053);

    final String element;
    final int nameTag;
    final int flagsTag;
    final int versionTag;

    DependencyKind(String element, int nameTag, int flagsTag, int versionTag) {
      this.element = element;
      this.nameTag = nameTag;
      this.flagsTag = flagsTag;
      this.versionTag = versionTag;
    }
  }

  // Signature header tags.
  private static final int SIG_SIZE = 1000;
  private static final int SIG_PAYLOADSIZE = 1007;
  private static final int SIG_LONGARCHIVESIZE = 271;

  // Main header tags (rpmtag.h).
  private static final int NAME = 1000;
  private static final int VERSION = 1001;
  private static final int RELEASE = 1002;
  private static final int EPOCH = 1003;
  private static final int SUMMARY = 1004;
  private static final int DESCRIPTION = 1005;
  private static final int BUILDTIME = 1006;
  private static final int BUILDHOST = 1007;
  private static final int SIZE = 1009;
  private static final int VENDOR = 1011;
  private static final int LICENSE = 1014;
  private static final int PACKAGER = 1015;
  private static final int GROUP = 1016;
  private static final int URL = 1020;
  private static final int ARCH = 1022;
  private static final int OLDFILENAMES = 1027;
  private static final int FILEMODES = 1030;
  private static final int FILEFLAGS = 1037;
  private static final int SOURCERPM = 1044;
  private static final int ARCHIVESIZE = 1046;
  private static final int CHANGELOGTIME = 1080;
  private static final int CHANGELOGNAME = 1081;
  private static final int CHANGELOGTEXT = 1082;
  private static final int SOURCEPACKAGE = 1106;
  private static final int DIRINDEXES = 1116;
  private static final int BASENAMES = 1117;
  private static final int DIRNAMES = 1118;
  private static final int LONGSIZE = 5009;

  private static final long RPMFILE_GHOST = 1 << 6;
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  // RPMSENSE_* bits that make a requirement "pre" in repodata.
  private static final long PRE_FLAGS = (1 << 6) | (1 << 9) | (1 << 5) | (1 << 7) | (1 << 10);
  // createrepo_c's default --changelog-limit.
  static final int CHANGELOG_LIMIT = 10;

  /** Reads the lead and both headers of {@code rpm} (the payload is not read). */
  static RpmPackage read(Path rpm) throws PublishingException {
    RpmFile file = RpmFile.read(rpm);
    try {
      return from(file.signature(), file.main(), file.headerStart(), file.headerEnd());
    } catch (IllegalArgumentException e) {
      throw RpmFile.invalid(rpm, "its headers are damaged (" + e.getMessage() + ")", e);
    }
  }

  private static RpmPackage from(RpmHeader sig, RpmHeader h, long headerStart, long headerEnd) {
    String name = h.string(NAME);
    String arch = h.has(SOURCEPACKAGE) ? "src" : h.string(ARCH);
    if (name == null || h.string(VERSION) == null || h.string(RELEASE) == null || arch == null) {
      throw new IllegalArgumentException("no name, version, release or architecture");
    }
    List<PackageFile> files = files(h);
    Set<String> fileNames = new HashSet<>();
    files.forEach(f -> fileNames.add(f.path()));
    long archiveSize =
        sig.number(SIG_LONGARCHIVESIZE, sig.number(SIG_PAYLOADSIZE, h.number(ARCHIVESIZE, 0)));
    return new RpmPackage(
        name,
        arch,
        Long.toUnsignedString(h.number(EPOCH, 0)),
        h.string(VERSION),
        h.string(RELEASE),
        h.string(SUMMARY),
        h.string(DESCRIPTION),
        h.string(PACKAGER),
        h.string(URL),
        h.number(BUILDTIME, 0),
        h.string(LICENSE),
        h.string(VENDOR),
        h.string(GROUP),
        h.string(BUILDHOST),
        h.string(SOURCERPM),
        h.number(LONGSIZE, h.number(SIZE, 0)),
        archiveSize,
        headerStart,
        headerEnd,
        files,
        dependencies(h, fileNames),
        changelogs(h));
  }

  private static List<PackageFile> files(RpmHeader h) {
    List<String> paths = new ArrayList<>();
    if (h.has(BASENAMES)) {
      List<String> base = h.strings(BASENAMES);
      List<String> dirs = h.strings(DIRNAMES);
      long[] index = h.numbers(DIRINDEXES);
      if (index.length != base.size()) {
        throw new IllegalArgumentException("file names and directory indexes differ in count");
      }
      for (int i = 0; i < base.size(); i++) {
        String dir = index[i] < dirs.size() ? dirs.get((int) index[i]) : "";
        paths.add(dir + base.get(i));
      }
    } else {
      paths.addAll(h.strings(OLDFILENAMES));
    }
    long[] modes = h.numbers(FILEMODES);
    long[] flags = h.numbers(FILEFLAGS);
    if (modes.length != paths.size() || flags.length != paths.size()) {
      throw new IllegalArgumentException("file modes or flags missing for some files");
    }
    List<PackageFile> files = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      String type =
          (modes[i] & S_IFMT) == S_IFDIR ? "dir" : (flags[i] & RPMFILE_GHOST) != 0 ? "ghost" : "";
      files.add(new PackageFile(paths.get(i), type));
    }
    return files;
  }

  /** createrepo_c's cr_is_primary: the files primary.xml lists. */
  static boolean isPrimaryFile(String path) {
    return path.startsWith("/etc/") || path.equals("/usr/lib/sendmail") || path.contains("bin/");
  }

  private static Map<DependencyKind, List<Dependency>> dependencies(
      RpmHeader h, Set<String> fileNames) {
    Map<DependencyKind, List<Dependency>> all = new HashMap<>();
    Set<String> provided = new HashSet<>();
    Map<String, String> lastRequire = new HashMap<>();
    for (DependencyKind kind : DependencyKind.values()) {
      List<String> names = h.strings(kind.nameTag);
      long[] flags = h.numbers(kind.flagsTag);
      List<String> versions = h.strings(kind.versionTag);
      List<Dependency> list = new ArrayList<>();
      Dependency highestLibc = null;
      int n = Math.min(names.size(), Math.min(flags.length, versions.size()));
      for (int i = 0; i < n; i++) {
        String name = names.get(i);
        String sense = sense(flags[i]);
        String fullVersion = versions.get(i);
        String nfv = name + (sense == null ? "" : sense) + fullVersion;
        boolean pre = false;
        if (kind == DependencyKind.REQUIRES) {
          if (name.startsWith("rpmlib(")
              || (name.startsWith("/") && fileNames.contains(name) && isPrimaryFile(name))
              || provided.contains(nfv)) {
            continue;
          }
          pre = (flags[i] & PRE_FLAGS) != 0;
          String seen = lastRequire.get(name);
          if (seen != null && seen.equals(sense + "\0" + fullVersion + "\0" + pre)) {
            continue;
          }
        }
        String[] evr = evr(fullVersion);
        if (evr == null) {
          continue; // a non-numeric epoch: createrepo_c warns and skips the dependency
        }
        Dependency d = new Dependency(name, sense, evr[0], evr[1], evr[2], pre);
        if (kind == DependencyKind.PROVIDES) {
          provided.add(nfv);
        }
        if (kind == DependencyKind.REQUIRES) {
          if (name.startsWith("libc.so.6")) {
            if (highestLibc == null || compareLibc(highestLibc.name(), name) == 2) {
              highestLibc = d;
            }
            continue;
          }
          lastRequire.put(name, sense + "\0" + fullVersion + "\0" + pre);
        }
        list.add(d);
      }
      if (highestLibc != null) {
        list.add(highestLibc);
      }
      all.put(kind, list);
    }
    return all;
  }

  /** RPMSENSE_LESS/GREATER/EQUAL as repodata names them, or null. */
  private static String sense(long flags) {
    return switch ((int) (flags & 0xf)) {
      case 2 -> "LT";
      case 4 -> "GT";
      case 8 -> "EQ";
      case 10 -> "LE";
      case 12 -> "GE";
      default -> null;
    };
  }

  /** [epoch, version, release] of "E:V-R" (epoch "0" when absent), all null for "". */
  private static String[] evr(String s) {
    if (s == null || s.isEmpty()) {
      return new String[3];
    }
    String epoch = "0";
    int colon = s.indexOf(':');
    int start = 0;
    if (colon >= 0) {
      String e = s.substring(0, colon);
      if (!e.matches("[+-]?\\d+")) {
        return null;
      }
      epoch = e.isEmpty() ? "0" : e;
      start = colon + 1;
    }
    int dash = s.indexOf('-', start);
    if (dash < 0) {
      return new String[] {epoch, s.substring(start), null};
    }
    String release = s.substring(dash + 1);
    return new String[] {epoch, s.substring(start, dash), release.isEmpty() ? null : release};
  }

  /**
   * createrepo_c's comparison of two libc.so.6 requirements by the version in their first
   * parentheses: 0 same, 1 first higher, 2 second higher.
   */
  static int compareLibc(String a, String b) {
    int pa = a.indexOf('(');
    int pb = b.indexOf('(');
    if (pa < 0 && pb < 0) {
      return 0;
    }
    if (pa < 0) {
      return 2;
    }
    if (pb < 0) {
      return 1;
    }
    int ea = a.indexOf(')', pa);
    int eb = b.indexOf(')', pb);
    if (ea < 0 && eb < 0) {
      return -1;
    }
    if (ea < 0) {
      return 2;
    }
    if (eb < 0) {
      return 1;
    }
    pa++;
    pb++;
    if (pa == ea && pb == eb) {
      return 0;
    }
    if (pa == ea) {
      return 2;
    }
    if (pb == eb) {
      return 1;
    }
    while (pa < a.length() && !Character.isDigit(a.charAt(pa))) {
      pa++;
    }
    while (pb < b.length() && !Character.isDigit(b.charAt(pb))) {
      pb++;
    }
    if (pa > ea && pb > eb) {
      return 0;
    }
    if (pa > ea) {
      return 2;
    }
    if (pb > eb) {
      return 1;
    }
    int c =
        RpmVersion.compare(a.substring(pa, Math.max(pa, ea)), b.substring(pb, Math.max(pb, eb)));
    return c < 0 ? 2 : c;
  }

  private static List<Changelog> changelogs(RpmHeader h) {
    long[] times = h.numbers(CHANGELOGTIME);
    List<String> names = h.strings(CHANGELOGNAME);
    List<String> texts = h.strings(CHANGELOGTEXT);
    int n = Math.min(CHANGELOG_LIMIT, Math.min(times.length, Math.min(names.size(), texts.size())));
    // Header order is newest first; repodata lists them oldest first, and where entries share a
    // time, createrepo_c moves the older ones a second later each (times are mutated in place).
    long[] dates = new long[n];
    long last = 0;
    for (int i = 0; i < n; i++) {
      dates[i] = times[i];
      if (i > 0 && last == times[i]) {
        long t = times[i];
        for (int j = i - 1; j >= 0 && dates[j] == t; j--) {
          dates[j]++;
          t++;
        }
      } else {
        last = times[i];
      }
    }
    List<Changelog> out = new ArrayList<>(n);
    for (int i = n - 1; i >= 0; i--) {
      out.add(new Changelog(stripTrailingSpaces(names.get(i)), dates[i], texts.get(i)));
    }
    return out;
  }

  /** The first field holding a control character other than TAB, LF, CR, or null (XML 1.0). */
  String fieldWithControlCharacters() {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put("name", name);
    fields.put("architecture", arch);
    fields.put("version", version);
    fields.put("release", release);
    fields.put("summary", summary);
    fields.put("description", description);
    fields.put("packager", packager);
    fields.put("URL", url);
    fields.put("license", license);
    fields.put("vendor", vendor);
    fields.put("group", group);
    fields.put("build host", buildHost);
    fields.put("source rpm", sourceRpm);
    files.forEach(f -> fields.putIfAbsent("file " + f.path(), f.path()));
    dependencies.forEach(
        (kind, list) ->
            list.forEach(
                d ->
                    fields.putIfAbsent(
                        kind.element + " " + d.name(),
                        d.name() + d.epoch() + d.version() + d.release())));
    changelogs.forEach(
        c -> fields.putIfAbsent("changelog by " + c.author(), c.author() + c.text()));
    for (Map.Entry<String, String> f : fields.entrySet()) {
      String v = f.getValue();
      if (v != null && v.chars().anyMatch(ch -> ch < 32 && ch != 9 && ch != 10 && ch != 13)) {
        return f.getKey();
      }
    }
    return null;
  }

  private static String stripTrailingSpaces(String s) {
    int end = s.length();
    while (end > 1 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(0, end);
  }
}
