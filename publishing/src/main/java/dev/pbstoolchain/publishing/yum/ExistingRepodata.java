package dev.pbstoolchain.publishing.yum;

import dev.pbstoolchain.publishing.PublishingException;
import dev.pbstoolchain.publishing.RepositoryMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The packages a repository's current repodata lists (written by us or by createrepo_c), kept as
 * the exact {@code <package>} entries so adding packages leaves the others' entries untouched.
 */
final class ExistingRepodata {

  /** One listed package: its file, checksum and its entry in each metadata file. */
  record Listed(
      String href, String pkgid, long size, String primary, String filelists, String other) {}

  private static final Pattern HREF = Pattern.compile("<location (?:[^>]* )?href=\"([^\"]*)\"");
  private static final Pattern CHECKSUM =
      Pattern.compile("<checksum type=\"[^\"]*\" pkgid=\"YES\">([^<]*)</checksum>");
  private static final Pattern PACKAGE_SIZE = Pattern.compile("<size package=\"(\\d+)\"");
  private static final Pattern PKGID = Pattern.compile("^<package pkgid=\"([^\"]*)\"");

  /** The package metadata types we rewrite; any other data (updateinfo, comps...) is kept. */
  static final List<String> PACKAGE_TYPES =
      List.of("primary", "filelists", "other", "primary_db", "filelists_db", "other_db");

  private static final Pattern DATA =
      Pattern.compile("[ \\t]*<data type=\"([^\"]*)\">.*?</data>\n?", Pattern.DOTALL);

  final Map<String, Listed> byHref;

  /** The metadata files the current repomd.xml names (kept for clients mid-download). */
  final List<String> files;

  /** repomd.xml's other {@code <data>} entries (updateinfo, group...), exactly as written. */
  final List<String> otherData;

  private ExistingRepodata(Map<String, Listed> byHref, List<String> files, List<String> otherData) {
    this.byHref = byHref;
    this.files = files;
    this.otherData = otherData;
  }

  static ExistingRepodata read(Path repo) throws PublishingException {
    Path repomd = repo.resolve("repodata/repomd.xml");
    if (!Files.isRegularFile(repomd)) {
      return new ExistingRepodata(new LinkedHashMap<>(), List.of(), List.of());
    }
    Map<String, String> locations = locations(repomd);
    for (String type : List.of("primary", "filelists", "other")) {
      if (!locations.containsKey(type)) {
        throw broken(repo, repomd + " names no " + type + " metadata");
      }
    }
    List<String> primary = chunks(repo, locations.get("primary"));
    Map<String, String> filelists = byPkgid(repo, chunks(repo, locations.get("filelists")));
    Map<String, String> other = byPkgid(repo, chunks(repo, locations.get("other")));
    Map<String, Listed> byHref = new LinkedHashMap<>();
    for (String chunk : primary) {
      String href = group(HREF, chunk, repo, "a package without location");
      String pkgid = group(CHECKSUM, chunk, repo, "a package without checksum");
      long size = Long.parseLong(group(PACKAGE_SIZE, chunk, repo, "a package without size"));
      String files = filelists.get(pkgid);
      String changes = other.get(pkgid);
      if (files == null || changes == null) {
        throw broken(repo, href + " is in primary but not in filelists or other");
      }
      byHref.put(href, new Listed(href, pkgid, size, chunk, files, changes));
    }
    return new ExistingRepodata(byHref, List.copyOf(locations.values()), otherData(repomd));
  }

  private static Map<String, String> locations(Path repomd) throws PublishingException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setNamespaceAware(true);
      DocumentBuilder builder = factory.newDocumentBuilder();
      Document doc = builder.parse(repomd.toFile());
      Map<String, String> locations = new LinkedHashMap<>();
      NodeList data = doc.getElementsByTagNameNS("*", "data");
      for (int i = 0; i < data.getLength(); i++) {
        Element d = (Element) data.item(i);
        NodeList location = d.getElementsByTagNameNS("*", "location");
        if (location.getLength() == 1) {
          locations.put(d.getAttribute("type"), ((Element) location.item(0)).getAttribute("href"));
        }
      }
      return locations;
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw PublishingException.configuration(
          "Cannot read "
              + repomd
              + ": "
              + e.getMessage()
              + ". Repair the repository (or restore it) before adding to it.",
          e);
    }
  }

  private static List<String> otherData(Path repomd) throws PublishingException {
    String text;
    try {
      text = Files.readString(repomd, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw PublishingException.configuration("Cannot read " + repomd + ": " + e.getMessage(), e);
    }
    List<String> blocks = new ArrayList<>();
    Matcher m = DATA.matcher(text);
    while (m.find()) {
      if (!PACKAGE_TYPES.contains(m.group(1))) {
        String block = m.group().strip();
        blocks.add("  " + block + "\n");
      }
    }
    return blocks;
  }

  /** The {@code <package ...>...</package>} entries of one metadata file, each with its newline. */
  private static List<String> chunks(Path repo, String href) throws PublishingException {
    Path file = repo.resolve(href).normalize();
    if (!file.startsWith(repo.normalize()) || !Files.isRegularFile(file)) {
      throw broken(repo, "repomd.xml names " + href + ", which is missing");
    }
    String text;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = decompress(href, raw)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw broken(repo, "cannot read " + href + " (" + e.getMessage() + ")");
    }
    List<String> chunks = new ArrayList<>();
    int at = 0;
    while ((at = text.indexOf("<package ", at)) >= 0) {
      int end = text.indexOf("</package>", at);
      if (end < 0) {
        throw broken(repo, href + " ends inside a package entry");
      }
      end += "</package>".length();
      chunks.add(text.substring(at, end) + "\n");
      at = end;
    }
    return chunks;
  }

  private static InputStream decompress(String href, InputStream raw) throws IOException {
    if (href.endsWith(".gz")) {
      return new GZIPInputStream(raw, 1 << 16);
    }
    if (href.endsWith(".xz")) {
      return new XZCompressorInputStream(raw);
    }
    if (href.endsWith(".zst")) {
      return new ZstdCompressorInputStream(raw);
    }
    if (href.endsWith(".bz2")) {
      return new BZip2CompressorInputStream(raw);
    }
    return raw;
  }

  private static Map<String, String> byPkgid(Path repo, List<String> chunks)
      throws PublishingException {
    Map<String, String> map = new HashMap<>();
    for (String chunk : chunks) {
      map.put(group(PKGID, chunk, repo, "an entry without pkgid"), chunk);
    }
    return map;
  }

  private static String group(Pattern pattern, String chunk, Path repo, String what)
      throws PublishingException {
    Matcher m = pattern.matcher(chunk);
    if (!m.find()) {
      throw broken(repo, "its metadata lists " + what);
    }
    return m.group(1);
  }

  private static PublishingException broken(Path repo, String why) {
    return RepositoryMessages.inconsistent("YUM", repo, why);
  }
}
