package dev.pbstoolchain.oci.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.oci.model.Digest;
import dev.pbstoolchain.oci.model.Json;
import dev.pbstoolchain.oci.model.Platform;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The image config of one platform: the base's with the release on top. The entrypoint is the app's
 * (or the configured one) and, as a Dockerfile's ENTRYPOINT does, it drops the base's CMD;
 * environment variables and labels are set over the base's; ports and volumes are added to the
 * base's; the rootfs and history get the two new layers; {@code created} is the build's one time.
 * Fields describing how the base itself was built ({@code container_config}, {@code
 * docker_version}, ...) are not carried over.
 */
final class ImageConfig {

  /** One layer the release adds: its diff id and what the history says made it. */
  record AddedLayer(Digest diffId, String createdBy) {}

  private ImageConfig() {}

  static ObjectNode build(
      ObjectNode base,
      Platform platform,
      ImageSettings settings,
      String app,
      Map<String, String> ociLabels,
      List<AddedLayer> layers,
      long epoch) {
    String created = Instant.ofEpochSecond(epoch).toString();
    ObjectNode config = Json.object();
    config.put("created", created);
    config.put("architecture", platform.architecture());
    config.put("os", platform.os());
    if (base.hasNonNull("os.version")) {
      config.set("os.version", base.get("os.version"));
    }
    if (base.hasNonNull("os.features")) {
      config.set("os.features", base.get("os.features"));
    }
    if (!platform.variant().isEmpty()) {
      config.put("variant", platform.variant());
    }
    config.set("config", runtime(base.path("config"), settings, app, ociLabels));
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    base.path("rootfs").path("diff_ids").forEach(diffIds::add);
    layers.forEach(l -> diffIds.add(l.diffId().toString()));
    ArrayNode history = config.putArray("history");
    base.path("history").forEach(history::add);
    for (AddedLayer layer : layers) {
      ObjectNode step = history.addObject();
      step.put("created", created);
      step.put("created_by", layer.createdBy());
    }
    return config;
  }

  private static ObjectNode runtime(
      JsonNode base, ImageSettings settings, String app, Map<String, String> ociLabels) {
    ObjectNode runtime = Json.object();
    String user = settings.user() != null ? settings.user() : base.path("User").asText("");
    if (!user.isEmpty()) {
      runtime.put("User", user);
    }
    TreeSet<String> ports = new TreeSet<>();
    base.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    ports.addAll(settings.normalPorts());
    if (!ports.isEmpty()) {
      ObjectNode exposed = runtime.putObject("ExposedPorts");
      ports.forEach(p -> exposed.putObject(p));
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode variable : base.path("Env")) {
      String text = variable.asText();
      int equals = text.indexOf('=');
      env.put(
          equals < 0 ? text : text.substring(0, equals),
          equals < 0 ? "" : text.substring(equals + 1));
    }
    env.putAll(settings.env());
    if (!env.isEmpty()) {
      ArrayNode list = runtime.putArray("Env");
      env.forEach((name, value) -> list.add(name + "=" + value));
    }
    ArrayNode entrypoint = runtime.putArray("Entrypoint");
    (settings.entrypoint() != null ? settings.entrypoint() : List.of("/usr/bin/" + app))
        .forEach(entrypoint::add);
    if (settings.cmd() != null && !settings.cmd().isEmpty()) {
      ArrayNode cmd = runtime.putArray("Cmd");
      settings.cmd().forEach(cmd::add);
    }
    TreeSet<String> volumes = new TreeSet<>();
    base.path("Volumes").fieldNames().forEachRemaining(volumes::add);
    volumes.addAll(settings.volumes());
    if (!volumes.isEmpty()) {
      ObjectNode list = runtime.putObject("Volumes");
      volumes.forEach(v -> list.putObject(v));
    }
    String workdir =
        settings.workdir() != null ? settings.workdir() : base.path("WorkingDir").asText("");
    if (!workdir.isEmpty()) {
      runtime.put("WorkingDir", workdir);
    }
    Map<String, String> labels = new TreeMap<>();
    base.path("Labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    labels.putAll(ociLabels);
    labels.putAll(settings.labels());
    if (!labels.isEmpty()) {
      runtime.set("Labels", Json.sorted(labels));
    }
    if (base.hasNonNull("StopSignal")) {
      runtime.set("StopSignal", base.get("StopSignal"));
    }
    return runtime;
  }
}
