package dev.pbstoolchain.oci.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code WWW-Authenticate} challenge (RFC 7235): the scheme ({@code basic} or {@code bearer}) and
 * its parameters, e.g. {@code Bearer realm="https://auth.example.com/token",service="registry"}.
 *
 * @param scheme lower-case scheme
 * @param parameters parameters by lower-case name
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {

  static Optional<AuthChallenge> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String text = header.strip();
    int space = text.indexOf(' ');
    String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> parameters = new LinkedHashMap<>();
    int i = space < 0 ? text.length() : space + 1;
    while (i < text.length()) {
      while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
        i++;
      }
      int equals = text.indexOf('=', i);
      if (equals < 0) {
        break;
      }
      String name = text.substring(i, equals).strip().toLowerCase(Locale.ROOT);
      i = equals + 1;
      StringBuilder value = new StringBuilder();
      if (i < text.length() && text.charAt(i) == '"') {
        i++;
        while (i < text.length() && text.charAt(i) != '"') {
          if (text.charAt(i) == '\\' && i + 1 < text.length()) {
            i++;
          }
          value.append(text.charAt(i++));
        }
        i++;
      } else {
        while (i < text.length() && text.charAt(i) != ',') {
          value.append(text.charAt(i++));
        }
      }
      parameters.put(name, value.toString().strip());
    }
    return Optional.of(new AuthChallenge(scheme, parameters));
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  String realm() {
    return parameters.getOrDefault("realm", "");
  }

  String service() {
    return parameters.getOrDefault("service", "");
  }
}
