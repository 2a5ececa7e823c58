package dev.pbstoolchain.publishing.signing;

import dev.pbstoolchain.publishing.PublishingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code gpg --with-colons --list-secret-keys NAME} says about one secret key (GnuPG's
 * doc/DETAILS: field 2 validity, 4 public-key algorithm, 6 creation, 7 expiry, 10 user ID, 12
 * capabilities, 15 whether the secret is here).
 */
final class GpgKeyListing {

  /** One primary key or subkey: validity letter, fingerprint, times, capabilities, secret. */
  record Key(
      char validity,
      int algorithm,
      String fingerprint,
      Instant created,
      Instant expires,
      String capabilities,
      boolean secretPresent,
      String userId) {

    boolean expiresBefore(Instant now) {
      return expires != null && !now.isBefore(expires);
    }
  }

  private static final int VALIDITY = 1;
  private static final int ALGORITHM = 3;
  private static final int CREATED = 5;
  private static final int EXPIRES = 6;
  private static final int USER_ID = 9;
  private static final int CAPABILITIES = 11;
  private static final int TOKEN = 14;

  private final String name;
  private final List<Key> keys;

  private GpgKeyListing(String name, List<Key> keys) {
    this.name = name;
    this.keys = keys;
  }

  static GpgKeyListing parse(byte[] colons, String name) throws PublishingException {
    List<List<String[]>> primaries = new ArrayList<>();
    for (String line : new String(colons, StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.split(":", -1);
      if (f[0].equals("sec")) {
        primaries.add(new ArrayList<>());
      }
      if (!primaries.isEmpty()) {
        primaries.get(primaries.size() - 1).add(f);
      }
    }
    if (primaries.isEmpty()) {
      throw PublishingException.configuration(
          "gpg has no secret key named '"
              + name
              + "' (gpg --list-secret-keys shows the keys it has; import the release key with gpg"
              + " --import).");
    }
    if (primaries.size() > 1) {
      throw PublishingException.configuration(
          "'"
              + name
              + "' names "
              + primaries.size()
              + " of gpg's secret keys; give the release key's fingerprint.");
    }
    List<Key> keys = new ArrayList<>();
    String[] pending = null;
    String userId = "";
    for (String[] f : primaries.get(0)) {
      switch (f[0]) {
        case "sec", "ssb" -> pending = f;
        case "fpr" -> {
          if (pending != null) {
            keys.add(key(pending, f[USER_ID]));
            pending = null;
          }
        }
        case "uid" -> {
          if (userId.isEmpty() && f.length > USER_ID) {
            userId = unescape(f[USER_ID]);
          }
        }
        default -> {}
      }
    }
    if (keys.isEmpty()) {
      throw PublishingException.failure("gpg listed the key '" + name + "' without fingerprint");
    }
    Key p = keys.get(0);
    keys.set(
        0,
        new Key(
            p.validity(),
            p.algorithm(),
            p.fingerprint(),
            p.created(),
            p.expires(),
            p.capabilities(),
            p.secretPresent(),
            userId));
    return new GpgKeyListing(name, keys);
  }

  private static Key key(String[] f, String fingerprint) {
    String expires = field(f, EXPIRES);
    String token = field(f, TOKEN);
    return new Key(
        field(f, VALIDITY).isEmpty() ? '-' : field(f, VALIDITY).charAt(0),
        Integer.parseInt(field(f, ALGORITHM)),
        fingerprint,
        Instant.ofEpochSecond(Long.parseLong(field(f, CREATED))),
        expires.isEmpty() ? null : Instant.ofEpochSecond(Long.parseLong(expires)),
        field(f, CAPABILITIES),
        // '#': gpg knows the key but its secret is elsewhere (--export-secret-subkeys stub).
        !token.equals("#"),
        "");
  }

  private static String field(String[] f, int index) {
    return index < f.length ? f[index] : "";
  }

  /** gpg escapes ':' and control characters in user IDs as \xHH. */
  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("\\x", i) && i + 3 < s.length()) {
        out.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }

  Key primary() {
    return keys.get(0);
  }

  String describe() {
    Key p = primary();
    return p.fingerprint() + (p.userId().isEmpty() ? "" : " (" + p.userId() + ")");
  }

  /** The newest key that can sign now, as gpg itself would pick it. */
  Key signingKey(Instant now) throws PublishingException {
    Key best = null;
    for (Key k : keys) {
      boolean usable =
          k.capabilities().contains("s")
              && k.secretPresent()
              && k.validity() != 'e'
              && k.validity() != 'r'
              && !k.expiresBefore(now);
      if (usable && (best == null || k.created().isAfter(best.created()))) {
        best = k;
      }
    }
    if (best == null) {
      throw PublishingException.configuration(
          "gpg's key "
              + describe()
              + " has no usable signing key here (expired, revoked, or its secret is not in this"
              + " keyring); add one with gpg --quick-add-key "
              + primary().fingerprint()
              + " ed25519 sign 2y.");
    }
    return best;
  }
}
