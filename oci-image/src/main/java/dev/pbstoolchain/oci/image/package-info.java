/**
 * Builds the release's multi-platform image: one image per Linux row on the base's image for that
 * platform, one index over all of them, the OCI layout, its archive and docker-archives; and pushes
 * it.
 */
package dev.pbstoolchain.oci.image;
