package dev.pbstoolchain.core.release;

/**
 * The app being released, from matrix.yaml and the POM.
 *
 * @param name binary and package name
 * @param version the project version
 * @param summary one line
 * @param maintainer {@code Name <email>}
 * @param homepage URL
 * @param license SPDX id of the app
 * @param epochSeconds the build timestamp every artifact uses
 * @param longDescription the deb's extended description and rpm's %description; empty for none
 */
public record AppInfo(
    String name,
    String version,
    String summary,
    String maintainer,
    String homepage,
    String license,
    long epochSeconds,
    String longDescription) {}
