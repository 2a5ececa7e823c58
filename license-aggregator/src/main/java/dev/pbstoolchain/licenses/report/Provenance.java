package dev.pbstoolchain.licenses.report;

/**
 * Where the shipped Python came from.
 *
 * @param releaseDate PBS release tag (from the archive name), may be empty
 * @param pythonVersion CPython version
 * @param triple target triple
 * @param fullArchive the full archive's file name
 * @param upstreamUrl where upstream publishes it (the canonical release URL, never the mirror it
 *     was fetched from, so the output does not depend on the mirror), may be empty
 * @param fullArchiveSha256 its SHA-256
 * @param installArchive the shipped install_only archive's file name (may be empty)
 * @param installArchiveSha256 its SHA-256 (may be empty)
 */
public record Provenance(
    String releaseDate,
    String pythonVersion,
    String triple,
    String fullArchive,
    String upstreamUrl,
    String fullArchiveSha256,
    String installArchive,
    String installArchiveSha256) {}
