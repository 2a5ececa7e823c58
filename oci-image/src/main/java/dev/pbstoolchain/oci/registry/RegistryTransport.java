package dev.pbstoolchain.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pbstoolchain.oci.ImageConsole;
import dev.pbstoolchain.oci.OciException;
import dev.pbstoolchain.oci.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * HTTP to one registry: HTTPS (plain HTTP only on loopback or when allowed), the login the registry
 * asks for (Basic, or a Bearer token from its token service for the scopes this client needs),
 * retries with growing waits on 5xx, 429 and broken connections, and redirects followed without the
 * registry's Authorization header when they lead to another host. Nothing here logs a header. Plain
 * HTTP goes over {@link PlainHttp}; HTTPS over the JDK's client, made at the first HTTPS request.
 */
final class RegistryTransport {

  private static final int MAX_REDIRECTS = 5;
  private static final int ERROR_BODY_LIMIT = 64 * 1024;
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

  /** One HTTP exchange; the body is made afresh for every attempt. */
  record Call(
      String what,
      String method,
      URI uri,
      Map<String, String> headers,
      RequestBody body,
      boolean retry,
      Duration timeout) {

    static Call of(String what, String method, URI uri) {
      return new Call(
          what, method, uri, Map.of(), RequestBody.empty(), true, Duration.ofMinutes(2));
    }

    Call header(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Call(what, method, uri, more, body, retry, timeout);
    }

    Call body(RequestBody newBody, Duration newTimeout) {
      return new Call(what, method, uri, headers, newBody, retry, newTimeout);
    }

    Call once() {
      return new Call(what, method, uri, headers, body, false, timeout);
    }
  }

  private final ImageReference where;
  private final RegistrySettings settings;
  private final ImageConsole console;
  private final Set<String> scopes;
  private final HttpTransport plain = new PlainHttp();
  private final Supplier<HttpTransport> makeHttps;
  private HttpTransport https;
  private volatile URI base;
  private volatile String authorization;
  private Credentials credentials;
  private boolean credentialsLooked;

  /**
   * @param makeHttps makes the client for HTTPS, at the first HTTPS request
   */
  RegistryTransport(
      ImageReference where,
      List<String> scopes,
      RegistrySettings settings,
      ImageConsole console,
      Supplier<HttpTransport> makeHttps) {
    this.where = where;
    this.makeHttps = makeHttps;
    this.scopes = new LinkedHashSet<>(scopes);
    this.settings = settings;
    this.console = console;
  }

  /** Who sends a request to {@code uri}: plain HTTP ourselves, HTTPS the JDK's client. */
  private synchronized HttpTransport http(URI uri) {
    if ("http".equals(uri.getScheme())) {
      return plain;
    }
    if (https == null) {
      https = makeHttps.get();
    }
    return https;
  }

  private RegistryResponse exchange(Call call, Map<String, String> headers) throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("User-Agent", "pbs-toolchain");
    all.putAll(headers);
    return http(call.uri()).send(call.method(), call.uri(), all, call.body(), call.timeout());
  }

  String registry() {
    return where.registry();
  }

  /**
   * {@code https://host}, or {@code http://host} where plain HTTP is allowed, found by asking
   * {@code /v2/}. A registry on this machine is asked over HTTP first (local registries mostly are,
   * and some plain HTTP servers never answer a TLS hello); any other over HTTPS first.
   */
  synchronized URI base() throws OciException {
    if (base != null) {
      return base;
    }
    URI https = URI.create("https://" + where.apiHost());
    URI plain = URI.create("http://" + where.apiHost());
    if (!where.isLoopback() && !settings.allowHttp()) {
      try {
        ping(https);
      } catch (IOException e) {
        throw OciException.failure(
            "Cannot reach "
                + https
                + "/v2/: "
                + describe(e)
                + ". If "
                + where.registry()
                + " speaks plain HTTP, allow it (pbs.image.allowHttp=true, CLI --allow-http);"
                + " registries on this machine may always use HTTP",
            e);
      }
      base = https;
      return base;
    }
    List<URI> order = where.isLoopback() ? List.of(plain, https) : List.of(https, plain);
    IOException first = null;
    for (URI candidate : order) {
      try {
        ping(candidate);
        base = candidate;
        console.debug(where.registry() + ": " + candidate.getScheme());
        return base;
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          throw OciException.failure(
              "Cannot reach the registry "
                  + where.registry()
                  + " over "
                  + order.get(0).getScheme().toUpperCase(java.util.Locale.ROOT)
                  + " ("
                  + describe(first)
                  + ") nor "
                  + candidate.getScheme().toUpperCase(java.util.Locale.ROOT)
                  + " ("
                  + describe(e)
                  + "): check that it runs and the address",
              e);
        }
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /** GET /v2/: any HTTP answer proves a server; 200 or 401 proves a registry. */
  private void ping(URI root) throws IOException {
    Call call =
        Call.of("ping", "GET", root.resolve("/v2/"))
            .body(RequestBody.empty(), Duration.ofSeconds(15));
    RegistryResponse response = exchange(call, Map.of());
    try (InputStream ignored = response.body()) {
      ignored.readNBytes(ERROR_BODY_LIMIT);
    }
    if (response.status() == 400 && root.getScheme().equals("http")) {
      // What a TLS server says to plain HTTP ("Client sent an HTTP request to an HTTPS server").
      throw new IOException("answered HTTP 400 to plain HTTP: it speaks HTTPS");
    }
    if (response.status() != 200 && response.status() != 401) {
      if (response.status() >= 500) {
        // A registry that is struggling is still a registry: the calls retry.
        return;
      }
      throw new IOException(
          "answered HTTP " + response.status() + " at /v2/, so it is no OCI registry");
    }
  }

  URI resolve(String pathOrLocation) throws OciException {
    return base().resolve(pathOrLocation);
  }

  /**
   * Sends a call: logs in when the registry says 401, retries what can be retried, follows
   * redirects of GET and HEAD. The caller reads and closes the body.
   */
  RegistryResponse send(Call call) throws OciException {
    base();
    boolean loggedInForThis = false;
    int attempt = 1;
    Call current = call;
    int redirects = 0;
    while (true) {
      RegistryResponse response;
      try {
        response = exchange(current, headers(current));
      } catch (IOException e) {
        if (e instanceof SSLException || !current.retry() || attempt >= settings.attempts()) {
          throw OciException.failure(
              current.what()
                  + ": "
                  + current.method()
                  + " "
                  + shown(current.uri())
                  + " failed"
                  + (attempt > 1 ? " after " + attempt + " attempts" : "")
                  + ": "
                  + describe(e)
                  + (e instanceof SSLException
                      ? " (a private CA? add it to the JVM trust store, -Djavax.net.ssl.trustStore)"
                      : ""),
              e);
        }
        console.warn(current.what() + ": " + describe(e) + "; trying again (" + attempt + ")");
        pause(attempt++, null);
        continue;
      }
      int status = response.status();
      if (status == 401 && !loggedInForThis) {
        drain(response);
        authenticate(response, current.what());
        loggedInForThis = true;
        continue;
      }
      if (isRedirect(status)
          && (current.method().equals("GET") || current.method().equals("HEAD"))
          && redirects < MAX_REDIRECTS) {
        Optional<String> location = response.header("Location");
        if (location.isPresent()) {
          drain(response);
          redirects++;
          current =
              new Call(
                  current.what(),
                  current.method(),
                  current.uri().resolve(location.get()),
                  current.headers(),
                  current.body(),
                  current.retry(),
                  current.timeout());
          continue;
        }
      }
      if (isTransient(status) && current.retry() && attempt < settings.attempts()) {
        Optional<String> retryAfter = response.header("Retry-After");
        drain(response);
        console.warn(
            current.what()
                + ": the registry answered HTTP "
                + status
                + "; trying again ("
                + attempt
                + ")");
        pause(attempt++, retryAfter.orElse(null));
        continue;
      }
      return response;
    }
  }

  /** The call's headers, with the registry's login when the call goes to the registry. */
  private Map<String, String> headers(Call call) {
    if (authorization == null || !sameServer(call.uri())) {
      return call.headers();
    }
    Map<String, String> headers = new LinkedHashMap<>(call.headers());
    headers.put("Authorization", authorization);
    return headers;
  }

  private boolean sameServer(URI uri) {
    return base != null
        && base.getScheme().equals(uri.getScheme())
        && base.getAuthority().equalsIgnoreCase(uri.getAuthority());
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static boolean isTransient(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  private void pause(int attempt, String retryAfter) throws OciException {
    Duration wait = settings.firstRetryDelay().multipliedBy(1L << Math.min(attempt - 1, 10));
    if (retryAfter != null && retryAfter.strip().matches("\\d{1,6}")) {
      wait = Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
    }
    if (wait.compareTo(LONGEST_WAIT) > 0) {
      wait = LONGEST_WAIT;
    }
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw OciException.failure("interrupted while waiting to try " + where.registry() + " again");
    }
  }

  /** Reads the first bytes of a body (errors, JSON answers) and closes it. */
  static byte[] read(RegistryResponse response, int limit) throws OciException {
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(limit);
      if (in.read() >= 0) {
        throw OciException.failure(
            shown(response.uri())
                + " answered more than "
                + limit
                + " bytes where a document was expected");
      }
      return bytes;
    } catch (IOException e) {
      throw OciException.failure(
          "Cannot read the answer of " + shown(response.uri()) + ": " + describe(e), e);
    }
  }

  static void drain(RegistryResponse response) {
    try (InputStream in = response.body()) {
      in.readNBytes(ERROR_BODY_LIMIT);
    } catch (IOException ignored) {
      // The connection is dropped instead of reused.
    }
  }

  /** The registry said no: its error, with what usually helps. */
  OciException rejected(String what, RegistryResponse response) {
    byte[] body;
    try {
      body = read(response, ERROR_BODY_LIMIT);
    } catch (OciException e) {
      body = new byte[0];
    }
    int status = response.status();
    String hint =
        switch (status) {
          case 401 -> ": " + needsLogin();
          case 403 ->
              ": the login "
                  + (credentialsOrNull() == null ? "(none) " : credentialsOrNull().username() + " ")
                  + "may not do this on "
                  + where.repository()
                  + "; ask the registry's admin for push rights or use another repository";
          case 404 -> ": check the repository name " + where.repository();
          case 405 ->
              ": the registry does not accept this here (read-only, or a pull-through cache)";
          case 413 -> ": the registry limits the size of what it accepts";
          default -> "";
        };
    String message =
        what
            + ": "
            + where.registry()
            + " answered "
            + RegistryErrors.describe(status, body)
            + " to "
            + response.method()
            + " "
            + shown(response.uri())
            + hint;
    return status == 401 || status == 403 || status == 404
        ? OciException.configuration(message)
        : OciException.failure(message);
  }

  private String needsLogin() {
    Credentials login = credentialsOrNull();
    return login == null
        ? where.registry()
            + " needs a login: run docker login "
            + where.registry()
            + (settings.dockerConfig() == null
                ? ""
                : " (read from " + settings.dockerConfig() + ")")
            + ", or give the login directly (settings.xml <server> with id "
            + where.registry()
            + ", CLI --username and PBS_REGISTRY_PASSWORD)"
        : "the registry refused the login of "
            + login.username()
            + ": check it (docker login "
            + where.registry()
            + ")";
  }

  private Credentials credentialsOrNull() {
    try {
      return credentials();
    } catch (OciException e) {
      return null;
    }
  }

  private synchronized Credentials credentials() throws OciException {
    if (!credentialsLooked) {
      credentialsLooked = true;
      credentials =
          settings.credentials() != null
              ? settings.credentials()
              : settings.dockerConfig() == null
                  ? null
                  : DockerConfig.read(settings.dockerConfig())
                      .lookup(where.registry())
                      .orElse(null);
    }
    return credentials;
  }

  private synchronized void authenticate(RegistryResponse response, String what)
      throws OciException {
    AuthChallenge challenge =
        AuthChallenge.parse(response.header("WWW-Authenticate").orElse(null))
            .orElseThrow(
                () ->
                    OciException.failure(
                        what
                            + ": "
                            + where.registry()
                            + " answered 401 without a WWW-Authenticate challenge, so there is"
                            + " no way to log in"));
    Credentials login = credentials();
    if (challenge.isBasic()) {
      if (login == null || login.isIdentityToken()) {
        throw OciException.configuration(what + ": " + needsLogin());
      }
      authorization = login.basicHeader();
    } else if (challenge.isBearer()) {
      authorization = "Bearer " + token(challenge, login, what);
    } else {
      throw OciException.failure(
          what
              + ": "
              + where.registry()
              + " asks for '"
              + challenge.scheme()
              + "' authentication; only Basic and Bearer are supported");
    }
  }

  /** A token from the registry's token service (docker's token flow, or OAuth2 refresh). */
  private String token(AuthChallenge challenge, Credentials login, String what)
      throws OciException {
    URI realm;
    try {
      realm = URI.create(challenge.realm());
    } catch (IllegalArgumentException e) {
      throw OciException.failure(
          what + ": the token service '" + challenge.realm() + "' is no URL");
    }
    if (!"https".equals(realm.getScheme()) && !"http".equals(realm.getScheme())) {
      throw OciException.failure(what + ": the token service '" + realm + "' is no HTTP URL");
    }
    if (realm.getScheme().equals("http")
        && login != null
        && !settings.allowHttp()
        && !ImageReference.isLoopbackAuthority(realm.getAuthority())) {
      throw OciException.configuration(
          what
              + ": the token service of "
              + where.registry()
              + " is "
              + realm
              + ", plain HTTP: the login would travel unencrypted, so it is not sent. Allow it"
              + " only if the network is trusted (pbs.image.allowHttp=true, CLI --allow-http)");
    }
    Set<String> wanted = merged(scopes, challenge.parameters().getOrDefault("scope", ""));
    Call call;
    if (login != null && login.isIdentityToken()) {
      StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=pbs-toolchain");
      form.append("&service=").append(encode(challenge.service()));
      form.append("&scope=").append(encode(String.join(" ", wanted)));
      form.append("&refresh_token=").append(encode(login.secret()));
      byte[] bytes = form.toString().getBytes(StandardCharsets.UTF_8);
      call =
          Call.of(what, "POST", realm)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .body(RequestBody.of(bytes), Duration.ofMinutes(1));
    } else {
      StringBuilder query = new StringBuilder();
      if (!challenge.service().isEmpty()) {
        query.append("service=").append(encode(challenge.service()));
      }
      for (String scope : wanted) {
        query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
      }
      if (login != null) {
        query
            .append(query.length() == 0 ? "" : "&")
            .append("account=")
            .append(encode(login.username()));
      }
      String separator = realm.getRawQuery() == null ? "?" : "&";
      call = Call.of(what, "GET", URI.create(realm + separator + query));
      if (login != null) {
        call = call.header("Authorization", login.basicHeader());
      }
    }
    RegistryResponse response = sendUnauthorized(call);
    int status = response.status();
    if (status == 401 || status == 403) {
      drain(response);
      throw OciException.configuration(
          what
              + ": the token service "
              + shown(realm)
              + " of "
              + where.registry()
              + " refused "
              + (login == null ? "an anonymous request" : "the login of " + login.username())
              + " (HTTP "
              + status
              + "): "
              + (login == null
                  ? needsLogin()
                  : "check it (docker login " + where.registry() + ")"));
    }
    if (status != 200) {
      throw rejected(what + " (token service " + shown(realm) + ")", response);
    }
    JsonNode answer;
    try {
      answer = Json.parse(read(response, 1024 * 1024), "the token answer");
    } catch (IOException e) {
      // Never the parser's message: it would quote the token.
      throw OciException.failure(
          what + ": the token service " + shown(realm) + " answered something that is not JSON");
    }
    String token = answer.path("token").asText(answer.path("access_token").asText(""));
    if (token.isEmpty()) {
      throw OciException.failure(
          what + ": the token service " + shown(realm) + " answered without a token");
    }
    return token;
  }

  /**
   * Our scopes plus the challenge's, one per resource with the union of their actions ({@code
   * repository:a:pull,push} and {@code repository:a:pull} are one scope).
   */
  static Set<String> merged(Set<String> ours, String challenged) {
    Map<String, Set<String>> actions = new LinkedHashMap<>();
    List<String> all = new java.util.ArrayList<>(ours);
    all.addAll(List.of(challenged.split(" ")));
    for (String scope : all) {
      int last = scope.lastIndexOf(':');
      if (scope.isBlank() || last <= 0) {
        continue;
      }
      actions
          .computeIfAbsent(scope.substring(0, last), k -> new LinkedHashSet<>())
          .addAll(List.of(scope.substring(last + 1).split(",")));
    }
    Set<String> result = new LinkedHashSet<>();
    actions.forEach((resource, verbs) -> result.add(resource + ":" + String.join(",", verbs)));
    return result;
  }

  /** A call to another server (the token service): retried, never given the registry's login. */
  private RegistryResponse sendUnauthorized(Call call) throws OciException {
    int attempt = 1;
    while (true) {
      try {
        RegistryResponse response = exchange(call, call.headers());
        if (isTransient(response.status()) && attempt < settings.attempts()) {
          drain(response);
          pause(attempt++, null);
          continue;
        }
        return response;
      } catch (IOException e) {
        if (e instanceof SSLException || attempt >= settings.attempts()) {
          throw OciException.failure(
              call.what()
                  + ": cannot reach the token service "
                  + shown(call.uri())
                  + ": "
                  + describe(e),
              e);
        }
        pause(attempt++, null);
      }
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A URL as shown in messages: without its query, which may carry upload state or tokens. */
  static String shown(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }

  static String describe(IOException e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return type.equals("ConnectException") ? "connection refused" : type;
    }
    return message;
  }
}
