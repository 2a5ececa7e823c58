package dev.pbstoolchain.oci.base;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.oci.model.Descriptor;
import dev.pbstoolchain.oci.model.Platform;
import java.util.List;

/**
 * The base's image for one platform.
 *
 * @param platform the platform as the base's index names it (with its variant)
 * @param manifest the manifest's descriptor in the base
 * @param config the config's descriptor
 * @param configJson the config document
 * @param layers the layers, bottom first
 */
public record PlatformBase(
    Platform platform,
    Descriptor manifest,
    Descriptor config,
    ObjectNode configJson,
    List<Descriptor> layers) {

  public PlatformBase {
    layers = List.copyOf(layers);
  }
}
