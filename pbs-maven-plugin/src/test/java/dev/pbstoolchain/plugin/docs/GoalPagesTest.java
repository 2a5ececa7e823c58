package dev.pbstoolchain.plugin.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The plugin site's goal pages as {@code ./mvnw -pl pbs-maven-plugin site} publishes them: every
 * build that runs the tests renders them first, with the site's renderer
 * (maven-plugin-report-plugin, execution {@code goal-pages} at process-test-classes, into {@code
 * target/goal-pages}), from the same descriptor the site reads. A placeholder in a Mojo's Javadoc
 * must reach the page as text: a bare {@code <triple>} becomes an HTML element browsers hide, and
 * {@code {@code {name}}} ends at the first closing brace.
 */
class GoalPagesTest {

  /** Surefire runs in the module directory. */
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  private static final Path PAGES = TARGET.resolve("goal-pages");
  private static final Path DESCRIPTOR = TARGET.resolve("classes/META-INF/maven/plugin.xml");

  /** The elements Doxia's xhtml sink writes for a goal page or the overview. */
  private static final Set<String> HTML_ELEMENTS =
      Set.of(
          "html", "head", "title", "meta", "body", "section", "div", "span", "a", "h1", "h2", "h3",
          "h4", "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "ul", "ol", "li", "dl",
          "dt", "dd", "table", "thead", "tbody", "tr", "th", "td");

  private static final Pattern ELEMENT = Pattern.compile("</?([A-Za-z][A-Za-z0-9-]*)");
  private static final Pattern CODE = Pattern.compile("<code>(.*?)</code>", Pattern.DOTALL);

  /** Each goal of the built descriptor and the parameters a user can set. */
  private static Map<String, List<String>> goals;

  /** goal.parameter of each parameter a user can set whose Javadoc is missing. */
  private static List<String> undocumented;

  @BeforeAll
  static void readDescriptor() throws IOException, ParserConfigurationException, SAXException {
    assertThat(DESCRIPTOR)
        .as("the plugin descriptor (plugin:descriptor writes it)")
        .isRegularFile();
    goals = new TreeMap<>();
    undocumented = new ArrayList<>();
    NodeList mojos =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(DESCRIPTOR.toFile())
            .getElementsByTagName("mojo");
    for (int i = 0; i < mojos.getLength(); i++) {
      Element mojo = (Element) mojos.item(i);
      List<String> parameters = new ArrayList<>();
      NodeList declared = mojo.getElementsByTagName("parameter");
      for (int j = 0; j < declared.getLength(); j++) {
        Element parameter = (Element) declared.item(j);
        if ("true".equals(child(parameter, "editable"))) {
          parameters.add(child(parameter, "name"));
          String description = child(parameter, "description");
          if (description == null || description.isEmpty()) {
            undocumented.add(child(mojo, "goal") + "." + child(parameter, "name"));
          }
        }
      }
      goals.put(child(mojo, "goal"), parameters);
    }
    assertThat(goals)
        .as("the goals of %s", DESCRIPTOR)
        .containsKeys(
            "fetch",
            "pyo3-config",
            "patch",
            "licenses",
            "package",
            "image",
            "verify",
            "publish",
            "ci-matrix",
            "help");
  }

  @Test
  void everyParameterHasJavadoc() {
    assertThat(undocumented).as("parameters without Javadoc (their pages say nothing)").isEmpty();
  }

  @Test
  void everyGoalHasAPageListingEachOfItsParameters() throws IOException {
    for (var goal : goals.entrySet()) {
      String page = page(goal.getKey() + "-mojo.html");
      assertThat(page).as("%s-mojo.html", goal.getKey()).contains("<h1>pbs:" + goal.getKey());
      for (String parameter : goal.getValue()) {
        assertThat(page)
            .as("%s-mojo.html lists <%s>", goal.getKey(), parameter)
            .contains("<code>&lt;" + parameter + "&gt;</code>");
      }
    }
  }

  @Test
  void theOverviewLinksEveryGoalPage() throws IOException {
    String overview = page("plugin-info.xhtml");
    for (String goal : goals.keySet()) {
      assertThat(overview).contains("<a href=\"./" + goal + "-mojo.html\">pbs:" + goal + "</a>");
    }
  }

  @Test
  void placeholdersInTheJavadocAreShownAsText() throws IOException {
    assertThat(page("fetch-mojo.html"))
        .contains("sets <code>pbs.&lt;triple&gt;.home</code> to each unpacked Python home")
        .contains("<code>{mirror}/{date}/{asset}</code>")
        .contains("settings.xml <code>&lt;server&gt;</code> holding the mirror's credentials");
    assertThat(page("pyo3-config-mojo.html"))
        .contains("<code>target/pbs/&lt;triple&gt;/pyo3-config.txt</code>")
        .contains("<code>pbs.&lt;triple&gt;.pyo3ConfigFile</code>");
    assertThat(page("licenses-mojo.html")).contains("<code>&lt;platform&gt;-cyclonedx</code>");
    assertThat(page("image-mojo.html")).contains("<code>{name}-{version}_oci.tar</code>");
    assertThat(page("package-mojo.html"))
        .contains("<code>&lt;server&gt;</code> whose <code>&lt;password&gt;</code>");
  }

  @Test
  void noPageHoldsAnElementHtmlDoesNotKnow() throws IOException {
    for (String name : pageNames()) {
      Set<String> unknown = new TreeSet<>();
      Matcher element = ELEMENT.matcher(page(name));
      while (element.find()) {
        if (!HTML_ELEMENTS.contains(element.group(1).toLowerCase(java.util.Locale.ROOT))) {
          unknown.add(element.group(1));
        }
      }
      assertThat(unknown)
          .as(
              "elements in %s that browsers hide (write {@code <x>} or &lt;x&gt; in the Javadoc)",
              name)
          .isEmpty();
    }
  }

  @Test
  void noCodeSpanEndsInsideItsBraces() throws IOException {
    for (String name : pageNames()) {
      Matcher code = CODE.matcher(page(name));
      while (code.find()) {
        String text = code.group(1);
        assertThat(text.chars().filter(c -> c == '{').count())
            .as(
                "%s: <code>%s</code> has unbalanced braces (write <code>{x}</code> in the Javadoc,"
                    + " not {@code {x}})",
                name, text)
            .isEqualTo(text.chars().filter(c -> c == '}').count());
      }
    }
  }

  private static List<String> pageNames() {
    List<String> names = new ArrayList<>();
    names.add("plugin-info.xhtml");
    goals.keySet().forEach(goal -> names.add(goal + "-mojo.html"));
    return names;
  }

  private static String page(String name) throws IOException {
    Path page = PAGES.resolve(name);
    assertThat(page)
        .as(
            "%s: maven-plugin-report-plugin's execution goal-pages (phase process-test-classes)"
                + " writes it; run ./mvnw -B -pl pbs-maven-plugin verify",
            page)
        .isRegularFile();
    return Files.readString(page, StandardCharsets.UTF_8);
  }

  private static String child(Element parent, String name) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
        return child.getTextContent().trim();
      }
    }
    return null;
  }
}
