/**
 * The base image: its reference ({@code oci-layout:DIR[:TAG]}, {@code oci-archive:FILE[:TAG]} or a
 * registry reference pinned by digest), the image chosen for each platform, and the file system its
 * layers make (paths, types, owners, {@code /etc/passwd} and {@code /etc/group}).
 */
package dev.pbstoolchain.oci.base;
