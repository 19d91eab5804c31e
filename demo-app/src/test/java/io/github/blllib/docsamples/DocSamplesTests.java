package io.github.blllib.docsamples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every {@code ```java} block of the README and of {@code docs/*.md} is a region of a
 * compiled sample ({@code // tag::name[]} to {@code // end::name[]} in a class under
 * {@code src/test/java/io/github/blllib/docsamples/} of any module), so that a sample that no
 * longer compiles, or drifts from its page, fails the build.
 */
class DocSamplesTests {

	private static final Pattern JAVA_BLOCK = Pattern.compile("^```java\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE);

	private static final Pattern REGION = Pattern
		.compile("^[ \\t]*// tag::([\\w-]+)\\[]\\n(.*?)^[ \\t]*// end::\\1\\[]", Pattern.DOTALL | Pattern.MULTILINE);

	private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

	@Test
	void everyJavaBlockOfTheDocsIsARegionOfACompiledSample() throws IOException {
		Map<String, String> regions = regions();
		Map<String, String> blocks = blocks();
		assertThat(blocks).as("java blocks in README.md and docs/*.md").hasSizeGreaterThan(5);
		for (Map.Entry<String, String> block : blocks.entrySet()) {
			assertThat(regions.values()).as("a compiled sample region equal to %s:%n%s", block.getKey(), block.getValue())
				.contains(block.getValue());
		}
		assertThat(regions.entrySet()).as("sample regions that no page shows")
			.allSatisfy((region) -> assertThat(blocks.values()).as(region.getKey()).contains(region.getValue()));
	}

	/** The java blocks by "file:line", normalised. */
	private static Map<String, String> blocks() throws IOException {
		List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		Map<String, String> blocks = new LinkedHashMap<>();
		for (Path page : pages) {
			String text = Files.readString(page);
			Matcher matcher = JAVA_BLOCK.matcher(text);
			while (matcher.find()) {
				long line = text.substring(0, matcher.start()).lines().count() + 1;
				blocks.put(ROOT.relativize(page) + ":" + line, normalise(matcher.group(1)));
			}
		}
		return blocks;
	}

	/** The regions of every module's docsamples, by "file#name", normalised. */
	private static Map<String, String> regions() throws IOException {
		Map<String, String> regions = new LinkedHashMap<>();
		try (Stream<Path> files = Files.walk(ROOT)) {
			List<Path> samples = files
				.filter((path) -> path.toString().replace('\\', '/').contains("/src/test/java/io/github/blllib/docsamples/"))
				.filter((path) -> path.toString().endsWith(".java"))
				.sorted()
				.toList();
			for (Path sample : samples) {
				Matcher matcher = REGION.matcher(read(sample));
				while (matcher.find()) {
					regions.put(ROOT.relativize(sample) + "#" + matcher.group(1), normalise(matcher.group(2)));
				}
			}
		}
		assertThat(regions).as("sample regions").isNotEmpty();
		return regions;
	}

	/** Without trailing blanks and without the indentation every line shares. */
	static String normalise(String text) {
		List<String> lines = text.lines().map(String::stripTrailing).toList();
		String indent = null;
		for (String line : lines) {
			if (!line.isEmpty()) {
				String own = line.substring(0, line.length() - line.stripLeading().length());
				indent = (indent == null) ? own : commonPrefix(indent, own);
			}
		}
		int cut = (indent != null) ? indent.length() : 0;
		return lines.stream().map((line) -> line.isEmpty() ? line : line.substring(cut)).collect(Collectors.joining("\n"));
	}

	private static String commonPrefix(String a, String b) {
		int i = 0;
		while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
			i++;
		}
		return a.substring(0, i);
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
