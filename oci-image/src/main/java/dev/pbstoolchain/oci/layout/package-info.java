/**
 * OCI image layouts (a directory with {@code oci-layout}, {@code index.json} and {@code blobs/})
 * read and written, the oci-archive tar of one, and docker-archives for {@code docker load}.
 */
package dev.pbstoolchain.oci.layout;
