package dev.pbstoolchain.oci.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pbstoolchain.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * A token service for docker-registry's token auth, as Docker Hub's auth.docker.io is: it checks
 * the Basic login (if any), and answers a JWT signed (RS256) by a key whose self-signed certificate
 * (made with openssl) the registry trusts, granting pull to everyone and push to the one user.
 */
public final class TokenService implements AutoCloseable {

  public static final String SERVICE = "pbs-test-registry";
  public static final String ISSUER = "pbs-test-issuer";

  private final HttpServer server;
  private final PrivateKey key;
  private final String certificate;
  private final String user;
  private final String password;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  private TokenService(Path dir, String user, String password) throws Exception {
    this.user = user;
    this.password = password;
    Path keyFile = dir.resolve("token.key");
    Path certFile = dir.resolve("token.crt");
    Sh.ok(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        keyFile.toString(),
        "-out",
        certFile.toString(),
        "-subj",
        "/CN=pbs-test-token",
        "-days",
        "2");
    key =
        KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(pem(Files.readString(keyFile))));
    certificate = Base64.getEncoder().encodeToString(pem(Files.readString(certFile)));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  public static TokenService start(Path dir, String user, String password) {
    try {
      Files.createDirectories(dir);
      return new TokenService(dir, user, password);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the token service", e);
    }
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  public Path certificate(Path dir) throws IOException {
    Path bundle = dir.resolve("token-bundle.crt");
    Files.writeString(
        bundle, "-----BEGIN CERTIFICATE-----\n" + certificate + "\n-----END CERTIFICATE-----\n");
    return bundle;
  }

  /** What each request asked, e.g. {@code GET account=ci-bot login=ci-bot scope=...}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private static byte[] pem(String text) {
    return Base64.getMimeDecoder()
        .decode(text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
  }

  private void token(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    List<String> scopes = new ArrayList<>();
    String account = "";
    for (String pair : query == null ? new String[0] : query.split("&")) {
      String[] kv = pair.split("=", 2);
      String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
      if (kv[0].equals("scope")) {
        scopes.add(value);
      } else if (kv[0].equals("account")) {
        account = value;
      }
    }
    String login = exchange.getRequestHeaders().getFirst("Authorization");
    String who = "";
    if (login != null) {
      String decoded =
          new String(
              Base64.getDecoder().decode(login.substring("Basic ".length())),
              StandardCharsets.UTF_8);
      if (!decoded.equals(user + ":" + password)) {
        requests.add(exchange.getRequestMethod() + " account=" + account + " refused");
        exchange.sendResponseHeaders(401, -1);
        exchange.close();
        return;
      }
      who = user;
    }
    requests.add(
        exchange.getRequestMethod() + " account=" + account + " login=" + who + " scope=" + scopes);
    byte[] body;
    try {
      body = ("{\"token\":\"" + jwt(who, scopes) + "\"}").getBytes(StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new IOException(e);
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private String jwt(String who, List<String> scopes) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.putArray("x5c").add(certificate);
    ObjectNode claims = json.createObjectNode();
    long now = System.currentTimeMillis() / 1000;
    claims.put("iss", ISSUER);
    claims.put("sub", who);
    claims.put("aud", SERVICE);
    claims.put("exp", now + 300);
    claims.put("nbf", now - 10);
    claims.put("iat", now);
    claims.put("jti", Long.toHexString(System.nanoTime()));
    ArrayNode access = claims.putArray("access");
    for (String scope : scopes) {
      String[] parts = scope.split(":");
      if (parts.length != 3) {
        continue;
      }
      ObjectNode grant = access.addObject();
      grant.put("type", parts[0]);
      grant.put("name", parts[1]);
      ArrayNode actions = grant.putArray("actions");
      for (String action : parts[2].split(",")) {
        if (action.equals("pull") || !who.isEmpty()) {
          actions.add(action);
        }
      }
    }
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String signed =
        url.encodeToString(json.writeValueAsBytes(header))
            + "."
            + url.encodeToString(json.writeValueAsBytes(claims));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
    return signed + "." + url.encodeToString(rsa.sign());
  }

  @Override
  public void close() {
    server.stop(0);
  }

  static {
    // Fail early and clearly when openssl is missing, not with a parse error of an empty key.
    if (Sh.run("openssl", "version").code() != 0) {
      throw new UncheckedIOException(new IOException("openssl is needed for the token tests"));
    }
  }
}
