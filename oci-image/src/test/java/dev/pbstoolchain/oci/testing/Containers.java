package dev.pbstoolchain.oci.testing;

import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Pulls one platform of an image the way container tools do and runs it: {@code skopeo copy
 * --override-arch} picks the platform from the index, {@code umoci unpack} applies the layers into
 * a root file system (as root, so owners are real), and the program runs in a private mount and PID
 * namespace chrooted into it; an arm64 one through qemu-user inside the same chroot.
 */
public final class Containers {

  private Containers() {}

  /**
   * Copies the platform's image out of {@code source} (a skopeo transport reference, e.g. {@code
   * oci:DIR:TAG} or {@code docker://127.0.0.1:5000/app:1.0}) and unpacks it; returns the bundle.
   */
  public static Path unpack(String source, String arch, Path work) {
    Path image = work.resolve("image-" + arch);
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path bundle = work.resolve("bundle-" + arch);
    List<String> copy =
        new ArrayList<>(List.of("skopeo", "--override-os", "linux", "--override-arch", arch));
    copy.addAll(
        List.of("copy", "--quiet", "--src-tls-verify=false", source, "oci:" + image + ":img"));
    if (!source.startsWith("docker://")) {
      copy.remove("--src-tls-verify=false");
    }
    Sh.ok(copy.toArray(String[]::new));
    Sh.ok("umoci", "unpack", "--image", image + ":img", bundle.toString());
    return bundle;
  }

  /**
   * The manifest or index {@code reference} (e.g. {@code 127.0.0.1:5000/app:1.0}) names in a
   * plain-HTTP registry, as the registry serves it: {@code skopeo inspect --raw}, with {@code
   * options} such as {@code --creds USER:PASSWORD}.
   */
  public static String rawManifest(String reference, String... options) {
    List<String> inspect =
        new ArrayList<>(List.of("skopeo", "inspect", "--raw", "--tls-verify=false"));
    inspect.addAll(List.of(options));
    inspect.add("docker://" + reference);
    return Sh.ok(inspect.toArray(String[]::new));
  }

  /** Runs a program of the unpacked root file system in its own namespaces. */
  public static Sh.Result run(Path rootfs, String arch, String... command) {
    List<String> inside = new ArrayList<>();
    if (arch.equals("arm64")) {
      try {
        Files.copy(
            Path.of("/usr/bin/qemu-aarch64-static"),
            rootfs.resolve("qemu-aarch64-static"),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.COPY_ATTRIBUTES);
      } catch (IOException e) {
        throw new UncheckedIOException("qemu-user-static is needed to run arm64 images", e);
      }
      inside.add("/qemu-aarch64-static");
    }
    inside.addAll(List.of(command));
    StringBuilder script =
        new StringBuilder(
            "mkdir -p \"$0/proc\" && mount -t proc proc \"$0/proc\" && exec chroot \"$0\"");
    for (int i = 0; i < inside.size(); i++) {
      script.append(" \"${").append(i + 1).append("}\"");
    }
    List<String> unshare =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--pid",
                "--fork",
                "--kill-child",
                "sh",
                "-c",
                script.toString(),
                rootfs.toString()));
    unshare.addAll(inside);
    return Sh.run(unshare.toArray(String[]::new));
  }
}
