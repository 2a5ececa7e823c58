/**
 * The OCI distribution API: image references, credentials (docker config.json, credential helpers),
 * Basic and Bearer auth, pulls of manifests and blobs, and pushes that make a tag visible last.
 */
package dev.pbstoolchain.oci.registry;
