package dev.pbstoolchain.oci.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * An image's platform as the image index says it: {@code os}, {@code architecture} (GOARCH names)
 * and an optional {@code variant} (e.g. {@code v8} for arm64, {@code v7} for arm).
 *
 * @param os e.g. {@code linux}
 * @param architecture e.g. {@code amd64}, {@code arm64}
 * @param variant e.g. {@code v8}, or empty
 */
public record Platform(String os, String architecture, String variant) {

  public Platform {
    variant = variant == null ? "" : variant;
  }

  /**
   * The platform of a Linux target triple ({@code x86_64-unknown-linux-gnu} is linux/amd64, {@code
   * aarch64-unknown-linux-gnu} linux/arm64, {@code armv7-unknown-linux-gnueabihf} linux/arm/v7).
   */
  public static Platform fromTriple(String triple) {
    String[] parts = triple.split("-");
    String cpu = parts[0];
    if (!triple.contains("-linux-")) {
      throw new IllegalArgumentException(
          triple
              + " is not a Linux target; images hold Linux rows (e.g. x86_64-unknown-linux-gnu)");
    }
    return switch (cpu.startsWith("x86_64") ? "x86_64" : cpu) {
      case "x86_64" -> new Platform("linux", "amd64", "");
      case "aarch64" -> new Platform("linux", "arm64", "");
      case "i686", "i586", "i386" -> new Platform("linux", "386", "");
      case "armv7" -> new Platform("linux", "arm", "v7");
      case "armv6", "arm" -> new Platform("linux", "arm", "v6");
      case "ppc64le" -> new Platform("linux", "ppc64le", "");
      case "s390x" -> new Platform("linux", "s390x", "");
      case "riscv64", "riscv64gc" -> new Platform("linux", "riscv64", "");
      case "loongarch64" -> new Platform("linux", "loong64", "");
      default ->
          throw new IllegalArgumentException(
              triple + ": no OCI architecture is known for the CPU " + cpu);
    };
  }

  /** {@code os_architecture[_variant]}, as in artifact names ({@code linux_amd64}). */
  public String fileName() {
    return os + "_" + architecture + (variant.isEmpty() ? "" : "_" + variant);
  }

  /**
   * Whether an image of {@code offered} runs here: same os and architecture, and the same variant,
   * where arm64 without a variant means v8 (what the image spec says arm64 is by default).
   */
  public boolean accepts(Platform offered) {
    return os.equals(offered.os)
        && architecture.equals(offered.architecture)
        && (variant.isEmpty() || normalVariant().equals(offered.normalVariant()));
  }

  private String normalVariant() {
    return variant.isEmpty() && architecture.equals("arm64") ? "v8" : variant;
  }

  public static Platform fromJson(JsonNode node) {
    return new Platform(
        text(node, "os"), text(node, "architecture"), node.path("variant").asText(""));
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).asText("").toLowerCase(Locale.ROOT);
  }

  public void writeTo(ObjectNode node) {
    node.put("architecture", architecture);
    node.put("os", os);
    if (!variant.isEmpty()) {
      node.put("variant", variant);
    }
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
