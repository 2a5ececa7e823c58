/**
 * Maven-free core of {@code pbs:fetch}: resolve a python-build-standalone release ({@link
 * dev.pbstoolchain.core.fetch.AssetResolver}), download it ({@link
 * dev.pbstoolchain.core.fetch.Downloader}), verify it against the release's SHA-256, cache it
 * ({@link dev.pbstoolchain.core.fetch.ArchiveCache}) and unpack it safely.
 *
 * <p>Entry point: {@link dev.pbstoolchain.core.fetch.PbsFetcher#fetch(FetchRequest)} returns one
 * {@link dev.pbstoolchain.core.fetch.FetchedArchive} per target, whose {@code home()} is the
 * unpacked {@code python/} directory.
 */
package dev.pbstoolchain.core.fetch;
