/** The OCI image spec's structures: digests, descriptors, platforms, media types, JSON. */
package dev.pbstoolchain.oci.model;
