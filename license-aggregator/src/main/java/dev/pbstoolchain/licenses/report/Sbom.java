package dev.pbstoolchain.licenses.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pbstoolchain.licenses.model.Component;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A CycloneDX 1.5 JSON SBOM of the bundled Python: the distribution with the archives' hashes,
 * CPython and each bundled library with its licence expression. Deterministic: the serial number is
 * derived from the archive hash and no clock is read.
 */
public final class Sbom {

  private Sbom() {}

  public static byte[] render(Provenance p, List<Component> components) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode bom = mapper.createObjectNode();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.5");
    bom.put(
        "serialNumber",
        "urn:uuid:"
            + UUID.nameUUIDFromBytes(
                (p.fullArchiveSha256() + p.installArchiveSha256())
                    .getBytes(StandardCharsets.UTF_8)));
    bom.put("version", 1);
    ObjectNode metadata = bom.putObject("metadata");
    ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
    tool.put("type", "application");
    tool.put("name", "pbs-toolchain license-aggregator");
    ObjectNode distribution = metadata.putObject("component");
    distribution.put("type", "application");
    distribution.put("bom-ref", "python-build-standalone");
    distribution.put("name", "python-build-standalone");
    distribution.put("version", p.pythonVersion() + "+" + p.releaseDate());
    distribution.put("description", "CPython " + p.pythonVersion() + " for " + p.triple());
    ArrayNode hashes = distribution.putArray("hashes");
    hash(hashes, p.fullArchiveSha256());
    if (!p.upstreamUrl().isEmpty()) {
      ObjectNode ref = distribution.putArray("externalReferences").addObject();
      ref.put("type", "distribution");
      ref.put("url", p.upstreamUrl());
      hash(ref.putArray("hashes"), p.fullArchiveSha256());
    }
    ArrayNode list = bom.putArray("components");
    if (!p.installArchive().isEmpty()) {
      ObjectNode file = list.addObject();
      file.put("type", "file");
      file.put("bom-ref", "archive:" + p.installArchive());
      file.put("name", p.installArchive());
      if (!p.installArchiveSha256().isEmpty()) {
        hash(file.putArray("hashes"), p.installArchiveSha256());
      }
    }
    for (Component c : components) {
      ObjectNode node = list.addObject();
      node.put("type", "library");
      node.put("bom-ref", "component:" + c.name());
      node.put("name", c.name());
      if (c.name().equals("CPython")) {
        node.put("version", p.pythonVersion());
        node.put("purl", "pkg:generic/cpython@" + p.pythonVersion());
      }
      if (!c.spdx().isEmpty()) {
        node.putArray("licenses").addObject().put("expression", String.join(" AND ", c.spdx()));
      } else if (c.publicDomain()) {
        node.putArray("licenses").addObject().putObject("license").put("name", "Public Domain");
      }
      if (!c.usedBy().isEmpty()) {
        node.put("description", "Used by " + String.join(", ", c.sortedUsers()));
      }
    }
    try {
      return (mapper.writeValueAsString(bom) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void hash(ArrayNode hashes, String sha256) {
    ObjectNode h = hashes.addObject();
    h.put("alg", "SHA-256");
    h.put("content", sha256);
  }
}
