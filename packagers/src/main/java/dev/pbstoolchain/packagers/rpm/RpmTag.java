package dev.pbstoolchain.packagers.rpm;

/**
 * The main header's tags this writer sets (rpm's {@code rpmTag}, names without {@code RPMTAG_}),
 * each with the type its value is written as.
 */
enum RpmTag implements HeaderTag {
  /** The region tag: every entry of the main header is in the immutable region. */
  HEADERIMMUTABLE(63, RpmType.BIN),
  /** The locales of the {@link RpmType#I18NSTRING} values: just "C". */
  HEADERI18NTABLE(100, RpmType.STRING_ARRAY),

  NAME(1000, RpmType.STRING),
  VERSION(1001, RpmType.STRING),
  RELEASE(1002, RpmType.STRING),
  SUMMARY(1004, RpmType.I18NSTRING),
  DESCRIPTION(1005, RpmType.I18NSTRING),
  BUILDTIME(1006, RpmType.INT32),
  BUILDHOST(1007, RpmType.STRING),
  /** Sum of the file sizes below 4 GiB; {@link #LONGSIZE} from there. */
  SIZE(1009, RpmType.INT32),
  VENDOR(1011, RpmType.STRING),
  LICENSE(1014, RpmType.STRING),
  PACKAGER(1015, RpmType.STRING),
  GROUP(1016, RpmType.I18NSTRING),
  URL(1020, RpmType.STRING),
  OS(1021, RpmType.STRING),
  ARCH(1022, RpmType.STRING),

  PREIN(1023, RpmType.STRING),
  POSTIN(1024, RpmType.STRING),
  PREUN(1025, RpmType.STRING),
  POSTUN(1026, RpmType.STRING),
  // rpm declares the *PROG tags string arrays; one interpreter as a plain string reads the same.
  PREINPROG(1085, RpmType.STRING),
  POSTINPROG(1086, RpmType.STRING),
  PREUNPROG(1087, RpmType.STRING),
  POSTUNPROG(1088, RpmType.STRING),

  FILESIZES(1028, RpmType.INT32),
  FILEMODES(1030, RpmType.INT16),
  FILERDEVS(1033, RpmType.INT16),
  FILEMTIMES(1034, RpmType.INT32),
  FILEDIGESTS(1035, RpmType.STRING_ARRAY),
  FILELINKTOS(1036, RpmType.STRING_ARRAY),
  FILEFLAGS(1037, RpmType.INT32),
  FILEUSERNAME(1039, RpmType.STRING_ARRAY),
  FILEGROUPNAME(1040, RpmType.STRING_ARRAY),
  FILEVERIFYFLAGS(1045, RpmType.INT32),
  FILEDEVICES(1095, RpmType.INT32),
  FILEINODES(1096, RpmType.INT32),
  FILELANGS(1097, RpmType.STRING_ARRAY),
  DIRINDEXES(1116, RpmType.INT32),
  BASENAMES(1117, RpmType.STRING_ARRAY),
  DIRNAMES(1118, RpmType.STRING_ARRAY),
  FILECOLORS(1140, RpmType.INT32),
  /** Per-file sizes when one file is 4 GiB or more (with {@code rpmlib(LargeFiles)}). */
  LONGFILESIZES(5008, RpmType.INT64),
  LONGSIZE(5009, RpmType.INT64),
  FILEDIGESTALGO(5011, RpmType.INT32),

  SOURCERPM(1044, RpmType.STRING),
  PROVIDENAME(1047, RpmType.STRING_ARRAY),
  REQUIREFLAGS(1048, RpmType.INT32),
  REQUIRENAME(1049, RpmType.STRING_ARRAY),
  REQUIREVERSION(1050, RpmType.STRING_ARRAY),
  CONFLICTFLAGS(1053, RpmType.INT32),
  CONFLICTNAME(1054, RpmType.STRING_ARRAY),
  CONFLICTVERSION(1055, RpmType.STRING_ARRAY),
  RPMVERSION(1064, RpmType.STRING),
  CHANGELOGTIME(1080, RpmType.INT32),
  CHANGELOGNAME(1081, RpmType.STRING_ARRAY),
  CHANGELOGTEXT(1082, RpmType.STRING_ARRAY),
  PROVIDEFLAGS(1112, RpmType.INT32),
  PROVIDEVERSION(1113, RpmType.STRING_ARRAY),
  RECOMMENDNAME(5046, RpmType.STRING_ARRAY),
  RECOMMENDVERSION(5047, RpmType.STRING_ARRAY),
  RECOMMENDFLAGS(5048, RpmType.INT32),

  PAYLOADFORMAT(1124, RpmType.STRING),
  PAYLOADCOMPRESSOR(1125, RpmType.STRING),
  PAYLOADFLAGS(1126, RpmType.STRING),
  PLATFORM(1132, RpmType.STRING),
  ENCODING(5062, RpmType.STRING),
  PAYLOADDIGEST(5092, RpmType.STRING_ARRAY),
  PAYLOADDIGESTALGO(5093, RpmType.INT32),
  PAYLOADDIGESTALT(5097, RpmType.STRING_ARRAY);

  private final int number;
  private final RpmType type;

  RpmTag(int number, RpmType type) {
    this.number = number;
    this.type = type;
  }

  @Override
  public int number() {
    return number;
  }

  @Override
  public RpmType type() {
    return type;
  }

  @Override
  public String toString() {
    return "RPMTAG_" + name();
  }
}
