package dev.pbstoolchain.binarypatcher.identity;

import dev.pbstoolchain.binarypatcher.identity.Architecture.FloatAbi;
import dev.pbstoolchain.binarypatcher.identity.Architecture.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a target triple's loader accepts ({@code aarch64-unknown-linux-gnu}: ELF 64-bit
 * little-endian aarch64; {@code armv7-unknown-linux-gnueabihf}: ELF 32-bit ARM, hard-float), and
 * whether a binary is that.
 *
 * @param triple the target triple
 * @param expected the architecture its binaries have
 */
public record TargetArchitecture(String triple, Architecture expected) {

  /** The architecture binaries for {@code triple} have; empty for a triple not known here. */
  public static Optional<TargetArchitecture> of(String triple) {
    String cpu = triple.substring(0, Math.max(0, triple.indexOf('-')));
    Format format;
    if (triple.contains("-apple-")) {
      format = Format.MACH_O;
    } else if (triple.contains("-windows")) {
      format = Format.PE;
    } else if (triple.contains("-linux") || triple.contains("-freebsd")) {
      format = Format.ELF;
    } else {
      return Optional.empty();
    }
    Optional<Architecture> expected =
        switch (format) {
          case ELF -> elf(cpu, triple);
          case MACH_O -> machO(cpu);
          case PE -> pe(cpu);
        };
    return expected.map(a -> new TargetArchitecture(triple, a));
  }

  private static Optional<Architecture> elf(String cpu, String triple) {
    if (cpu.startsWith("x86_64")) {
      return Optional.of(elf(64, false, Architecture.EM_X86_64, FloatAbi.NOT_ARM));
    }
    if (cpu.matches("i[3-6]86")) {
      return Optional.of(elf(32, false, Architecture.EM_386, FloatAbi.NOT_ARM));
    }
    if (cpu.equals("aarch64")) {
      return Optional.of(elf(64, false, Architecture.EM_AARCH64, FloatAbi.NOT_ARM));
    }
    if (cpu.startsWith("arm")) {
      FloatAbi abi = triple.endsWith("eabihf") ? FloatAbi.HARD : FloatAbi.SOFT;
      return Optional.of(elf(32, false, Architecture.EM_ARM, abi));
    }
    return switch (cpu) {
      case "ppc64le" -> Optional.of(elf(64, false, Architecture.EM_PPC64, FloatAbi.NOT_ARM));
      case "ppc64" -> Optional.of(elf(64, true, Architecture.EM_PPC64, FloatAbi.NOT_ARM));
      case "s390x" -> Optional.of(elf(64, true, Architecture.EM_S390, FloatAbi.NOT_ARM));
      case "riscv64", "riscv64gc" ->
          Optional.of(elf(64, false, Architecture.EM_RISCV, FloatAbi.NOT_ARM));
      case "loongarch64" ->
          Optional.of(elf(64, false, Architecture.EM_LOONGARCH, FloatAbi.NOT_ARM));
      default -> Optional.empty();
    };
  }

  private static Architecture elf(int bits, boolean bigEndian, int machine, FloatAbi abi) {
    return new Architecture(Format.ELF, bits, bigEndian, machine, abi);
  }

  private static Optional<Architecture> machO(String cpu) {
    int cputype;
    if (cpu.startsWith("x86_64")) {
      cputype = Architecture.CPU_TYPE_X86_64;
    } else if (cpu.equals("aarch64") || cpu.startsWith("arm64")) {
      cputype = Architecture.CPU_TYPE_ARM64;
    } else {
      return Optional.empty();
    }
    return Optional.of(new Architecture(Format.MACH_O, 64, false, cputype, FloatAbi.NOT_ARM));
  }

  private static Optional<Architecture> pe(String cpu) {
    if (cpu.startsWith("x86_64")) {
      return Optional.of(pe(64, Architecture.IMAGE_FILE_MACHINE_AMD64));
    }
    if (cpu.matches("i[3-6]86")) {
      return Optional.of(pe(32, Architecture.IMAGE_FILE_MACHINE_I386));
    }
    if (cpu.equals("aarch64")) {
      return Optional.of(pe(64, Architecture.IMAGE_FILE_MACHINE_ARM64));
    }
    return Optional.empty();
  }

  private static Architecture pe(int bits, int machine) {
    return new Architecture(Format.PE, bits, false, machine, FloatAbi.NOT_ARM);
  }

  /** {@code ELF 64-bit ARM aarch64}: what binaries for the triple are. */
  public String description() {
    return expected.description();
  }

  /**
   * Whether the loader of this target runs {@code image}. A 32-bit ARM file whose float ABI cannot
   * be told is accepted: nothing in it says it is wrong.
   */
  public boolean accepts(Architecture image) {
    if (!expected.sameMachine(image)) {
      return false;
    }
    return expected.floatAbi() == FloatAbi.NOT_ARM
        || image.floatAbi() == FloatAbi.UNKNOWN
        || image.floatAbi() == expected.floatAbi();
  }

  /**
   * Why {@code binary} does not run on this target, naming each image that does not (every slice of
   * a universal binary must match: the slices share the one bundled Python); empty if it does.
   */
  public Optional<String> mismatch(BinaryIdentity binary) {
    List<String> wrong = new ArrayList<>();
    for (Architecture image : binary.images()) {
      if (!accepts(image)) {
        wrong.add(image.description());
      }
    }
    if (wrong.isEmpty()) {
      return Optional.empty();
    }
    String what = binary.description();
    if (binary.universal() && wrong.size() < binary.images().size()) {
      what += ", whose " + String.join(" and ", wrong) + " slice does not match";
    }
    return Optional.of(what);
  }
}
