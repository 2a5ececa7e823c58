package dev.pbstoolchain.binarypatcher.identity;

import java.util.Locale;

/**
 * The machine code one image (an ELF file, one slice of a Mach-O, a PE image) holds, with what the
 * system's loader checks before it maps it: container format, word size, byte order, machine and,
 * for 32-bit ARM, the float ABI the calling convention uses.
 *
 * @param format the container
 * @param bits 32 or 64 (ELF class, Mach-O magic, PE32/PE32+)
 * @param bigEndian byte order (ELF {@code EI_DATA}; Mach-O and PE images here are little-endian)
 * @param machine ELF {@code e_machine}, Mach-O {@code cputype} or PE {@code Machine}
 * @param floatAbi 32-bit ARM ELF only; {@link FloatAbi#NOT_ARM} otherwise
 */
public record Architecture(
    Format format, int bits, boolean bigEndian, int machine, FloatAbi floatAbi) {

  /** The container formats, as {@code file} names them. */
  public enum Format {
    ELF,
    MACH_O,
    PE
  }

  /** How a 32-bit ARM binary passes floating-point arguments. */
  public enum FloatAbi {
    /** Not a 32-bit ARM ELF file. */
    NOT_ARM,
    /** In VFP registers: Debian's armhf, the {@code gnueabihf} triples. */
    HARD,
    /** In core registers: Debian's armel, the {@code gnueabi} triples. */
    SOFT,
    /** The file does not say (no EABI float flag, no build attribute, no known loader). */
    UNKNOWN
  }

  // ELF e_machine values (System V ABI, "e_machine").
  public static final int EM_SPARC = 2;
  public static final int EM_386 = 3;
  public static final int EM_MIPS = 8;
  public static final int EM_SPARC32PLUS = 18;
  public static final int EM_PPC = 20;
  public static final int EM_PPC64 = 21;
  public static final int EM_S390 = 22;
  public static final int EM_ARM = 40;
  public static final int EM_SPARCV9 = 43;
  public static final int EM_IA_64 = 50;
  public static final int EM_X86_64 = 62;
  public static final int EM_AARCH64 = 183;
  public static final int EM_RISCV = 243;
  public static final int EM_LOONGARCH = 258;

  // Mach-O cputype values (<mach/machine.h>): CPU_ARCH_ABI64 (0x01000000) marks the 64-bit ones.
  public static final int CPU_TYPE_X86 = 7;
  public static final int CPU_TYPE_X86_64 = 0x01000007;
  public static final int CPU_TYPE_ARM = 12;
  public static final int CPU_TYPE_ARM64 = 0x0100000c;
  public static final int CPU_TYPE_ARM64_32 = 0x0200000c;
  public static final int CPU_TYPE_POWERPC = 18;
  public static final int CPU_TYPE_POWERPC64 = 0x01000012;

  // PE IMAGE_FILE_MACHINE_* values (PE format, "Machine Types").
  public static final int IMAGE_FILE_MACHINE_I386 = 0x14c;
  public static final int IMAGE_FILE_MACHINE_ARMNT = 0x1c4;
  public static final int IMAGE_FILE_MACHINE_AMD64 = 0x8664;
  public static final int IMAGE_FILE_MACHINE_ARM64 = 0xaa64;

  /** What {@code file} would say, shortened: {@code ELF 64-bit x86-64}, {@code Mach-O arm64}. */
  public String description() {
    return switch (format) {
      case ELF ->
          "ELF "
              + bits
              + "-bit "
              + (bigEndian ? "MSB " : "")
              + elfMachine()
              + switch (floatAbi) {
                case HARD -> " hard-float";
                case SOFT -> " soft-float";
                default -> "";
              };
      case MACH_O -> "Mach-O " + (bits == 64 ? "64-bit " : "") + machOCpu();
      case PE -> (bits == 64 ? "PE32+ " : "PE32 ") + peMachine();
    };
  }

  /** Same container, word size, byte order and machine: what every loader compares first. */
  public boolean sameMachine(Architecture other) {
    return format == other.format
        && bits == other.bits
        && bigEndian == other.bigEndian
        && machine == other.machine;
  }

  private String elfMachine() {
    return switch (machine) {
      case EM_SPARC -> "SPARC";
      case EM_386 -> "Intel 80386";
      case EM_MIPS -> "MIPS";
      case EM_SPARC32PLUS -> "SPARC32PLUS";
      case EM_PPC -> "PowerPC";
      case EM_PPC64 -> "PowerPC64";
      case EM_S390 -> "IBM S/390";
      case EM_ARM -> "ARM";
      case EM_SPARCV9 -> "SPARC V9";
      case EM_IA_64 -> "IA-64";
      case EM_X86_64 -> "x86-64";
      case EM_AARCH64 -> "ARM aarch64";
      case EM_RISCV -> "RISC-V";
      case EM_LOONGARCH -> "LoongArch";
      default -> "machine " + machine;
    };
  }

  private String machOCpu() {
    return switch (machine) {
      case CPU_TYPE_X86 -> "i386";
      case CPU_TYPE_X86_64 -> "x86_64";
      case CPU_TYPE_ARM -> "arm";
      case CPU_TYPE_ARM64 -> "arm64";
      case CPU_TYPE_ARM64_32 -> "arm64_32";
      case CPU_TYPE_POWERPC -> "ppc";
      case CPU_TYPE_POWERPC64 -> "ppc64";
      default -> "cputype 0x" + Integer.toHexString(machine);
    };
  }

  private String peMachine() {
    return switch (machine) {
      case IMAGE_FILE_MACHINE_I386 -> "Intel 80386";
      case IMAGE_FILE_MACHINE_ARMNT -> "ARMv7 Thumb";
      case IMAGE_FILE_MACHINE_AMD64 -> "x86-64";
      case IMAGE_FILE_MACHINE_ARM64 -> "Aarch64";
      default -> "machine 0x" + Integer.toHexString(machine).toUpperCase(Locale.ROOT);
    };
  }
}
