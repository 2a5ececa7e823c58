package dev.pbstoolchain.publishing.signing;

import dev.pbstoolchain.publishing.PublishingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Signs with a key held by the user's GnuPG (its agent asks for or caches the passphrase; the key
 * may live on a card). Every signature is made with {@code --faked-system-time}, so it carries the
 * release's time like {@link OpenPgpSigner}'s; with an RSA or Ed25519 key the bytes are the same as
 * that signer's for the same key.
 */
public final class GpgSigner implements Signer {

  private final String gpg;
  private final Path home;
  private final GpgKeyListing.Key primary;
  private final GpgKeyListing.Key signingKey;
  private final byte[] certificate;
  private final Instant time;

  private GpgSigner(
      String gpg,
      Path home,
      GpgKeyListing.Key primary,
      GpgKeyListing.Key signingKey,
      byte[] certificate,
      Instant time) {
    this.gpg = gpg;
    this.home = home;
    this.primary = primary;
    this.signingKey = signingKey;
    this.certificate = certificate;
    this.time = time;
  }

  /**
   * Finds the secret key {@code keyName} (fingerprint, key ID or user ID) in gpg's keyring, checks
   * it (one key, not expired or revoked, a signing key gpg can use) and makes a test signature, so
   * a locked agent or a missing card stops the release before anything is written.
   *
   * @param gpg the gpg command ("gpg" from the PATH)
   * @param home the GnuPG home, or null for gpg's default (GNUPGHOME, ~/.gnupg)
   */
  public static GpgSigner open(
      String gpg, Path home, String keyName, Instant requestedTime, Instant now)
      throws PublishingException {
    byte[] colons;
    try {
      colons =
          run(
              gpg,
              home,
              null,
              "--with-colons",
              "--fixed-list-mode",
              "--list-secret-keys",
              "--",
              keyName);
    } catch (PublishingException e) {
      if (e.getCause() != null) {
        throw e; // gpg did not run at all
      }
      // gpg exits 2 for "No secret key"; the listing's own message says what to do.
      colons = new byte[0];
    }
    GpgKeyListing listing = GpgKeyListing.parse(colons, keyName);
    GpgKeyListing.Key primary = listing.primary();
    if (primary.validity() == 'r') {
      throw PublishingException.configuration(
          "gpg's key " + listing.describe() + " is revoked: sign with another key.");
    }
    if (primary.validity() == 'e' || primary.expiresBefore(now)) {
      throw PublishingException.configuration(
          "gpg's key "
              + listing.describe()
              + " has expired: extend it (gpg --quick-set-expire "
              + primary.fingerprint()
              + " 2y) and republish KEY.asc, or use another key.");
    }
    GpgKeyListing.Key signingKey = listing.signingKey(now);
    Instant time = requestedTime.truncatedTo(ChronoUnit.SECONDS);
    if (time.isBefore(signingKey.created())) {
      time = signingKey.created();
    }
    byte[] certificate = run(gpg, home, null, "--export", primary.fingerprint());
    GpgSigner signer = new GpgSigner(gpg, home, primary, signingKey, certificate, time);
    try {
      signer.sign(new ByteArrayInputStream(new byte[0]), SignatureMode.BINARY);
    } catch (IOException e) {
      throw PublishingException.failure("Cannot run " + gpg + ": " + e.getMessage(), e);
    } catch (PublishingException e) {
      throw PublishingException.configuration(
          "gpg cannot sign with its key "
              + listing.describe()
              + ": "
              + e.getMessage()
              + ". A key with a passphrase needs gpg-agent to ask for it (a terminal or desktop"
              + " pinentry) or to have it cached (gpg-preset-passphrase); in CI, sign with a key"
              + " file instead.",
          e);
    }
    return signer;
  }

  @Override
  public String fingerprint() {
    return primary.fingerprint();
  }

  @Override
  public String userId() {
    return primary.userId();
  }

  @Override
  public int keyAlgorithm() {
    return signingKey.algorithm();
  }

  @Override
  public HashAlgorithm hash() {
    return HashAlgorithm.SHA512;
  }

  @Override
  public Instant signatureTime() {
    return time;
  }

  @Override
  public byte[] publicKey() {
    return certificate.clone();
  }

  @Override
  public byte[] sign(InputStream data, SignatureMode mode) throws IOException, PublishingException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--faked-system-time",
            time.getEpochSecond() + "!",
            "--digest-algo",
            hash().armorName(),
            "--local-user",
            signingKey.fingerprint() + "!",
            "--detach-sign"));
    if (mode == SignatureMode.TEXT) {
      args.add("--textmode");
    }
    return run(gpg, home, data, args.toArray(String[]::new));
  }

  private static byte[] run(String gpg, Path home, InputStream input, String... args)
      throws PublishingException {
    List<String> command = new ArrayList<>(List.of(gpg, "--batch", "--no-tty"));
    if (home != null) {
      command.addAll(List.of("--homedir", home.toString()));
    }
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw PublishingException.configuration(
          "Cannot run "
              + gpg
              + " ("
              + e.getMessage()
              + "): install GnuPG or sign with a key file instead of gpg.",
          e);
    }
    try {
      CompletableFuture<byte[]> errors =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      IOException writeFailure = null;
      try (OutputStream stdin = process.getOutputStream()) {
        if (input != null) {
          input.transferTo(stdin);
        }
      } catch (IOException e) {
        // gpg may have stopped reading because it failed: its exit code and message say why.
        writeFailure = e;
      }
      byte[] out = process.getInputStream().readAllBytes();
      int code = process.waitFor();
      if (code != 0) {
        throw PublishingException.configuration(
            gpg
                + " "
                + String.join(" ", args)
                + " failed (exit "
                + code
                + "): "
                + new String(errors.join(), StandardCharsets.UTF_8).strip());
      }
      if (writeFailure != null) {
        throw writeFailure;
      }
      return out;
    } catch (IOException e) {
      process.destroy();
      throw PublishingException.failure("Cannot talk to " + gpg + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw PublishingException.failure("Interrupted while " + gpg + " was signing", e);
    }
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "GpgSigner["
        + primary.fingerprint()
        + " ("
        + primary.userId()
        + "), signs at "
        + time
        + "]";
  }
}
