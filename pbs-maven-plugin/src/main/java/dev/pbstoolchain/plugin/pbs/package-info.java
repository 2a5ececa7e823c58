/**
 * Maven-free core of {@code pbs:fetch}: resolve a python-build-standalone release ({@link
 * dev.pbstoolchain.plugin.pbs.AssetResolver}), download it ({@link
 * dev.pbstoolchain.plugin.pbs.Downloader}), verify it against the release's SHA-256, cache it
 * ({@link dev.pbstoolchain.plugin.pbs.ArchiveCache}) and unpack it safely.
 *
 * <p>Entry point: {@link dev.pbstoolchain.plugin.pbs.PbsFetcher#fetch(FetchRequest)} returns one
 * {@link dev.pbstoolchain.plugin.pbs.FetchedArchive} per target, whose {@code home()} is the
 * unpacked {@code python/} directory.
 */
package dev.pbstoolchain.plugin.pbs;
