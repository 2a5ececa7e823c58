package dev.pbstoolchain.core.release;

import java.nio.file.Path;

/**
 * One produced release artifact.
 *
 * @param file the artifact
 * @param type Maven type / extension: {@code tar.gz}, {@code deb}, {@code rpm}, {@code zip}
 * @param classifier Maven classifier, e.g. {@code linux_amd64}
 * @param triple the target it is for
 * @param sha256 its SHA-256
 */
public record Artifact(Path file, String type, String classifier, String triple, String sha256) {}
