package io.github.blllib.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the configuration metadata generated for {@link BlllibProperties}, which gives IDE
 * completion for {@code blllib.*} keys.
 */
class ConfigurationMetadataTests {

	@Test
	void metadataShouldDescribeEveryBlllibProperty() throws IOException {
		List<Map<String, Object>> properties = JsonPath.read(blllibMetadata(), "$.properties");
		assertThat(properties).extracting((property) -> (String) property.get("name"))
			.filteredOn((name) -> name.startsWith("blllib."))
			.containsExactlyInAnyOrder("blllib.n-cpu", "blllib.stages", "blllib.pipelines", "blllib.metrics.enabled",
					"blllib.shutdown.close-timeout", "blllib.shutdown.await-termination-period",
					"blllib.health.stall-timeout",
					"blllib.observations.enabled", "blllib.ui.enabled", "blllib.ui.path", "blllib.kafka.jobs");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
	}

	@Test
	void metadataShouldDescribeTheKeysOfEachStageEntry() throws IOException {
		List<String> descriptions = JsonPath.read(blllibMetadata(),
				"$.properties[?(@.name == 'blllib.stages')].description");
		assertThat(descriptions).singleElement()
			.asString()
			.contains("'stateful'", "'batch-size'", "'run-in-master'", "'retry.max-retries'", "'retry.delay'",
					"'retry.multiplier'", "'retry.max-delay'", "'retry.includes'", "'retry.excludes'", "'on-failure'",
					"'skip-limit'", "'timeout'");
	}

	@Test
	void metadataShouldDescribeTheKeysOfEachKafkaJob() throws IOException {
		List<String> descriptions = JsonPath.read(blllibMetadata(),
				"$.properties[?(@.name == 'blllib.kafka.jobs')].description");
		assertThat(descriptions).singleElement()
			.asString()
			.contains("'topics'", "'pipeline'", "'output-topic'", "'dead-letter-topic'", "'transactional'",
					"'group-id'", "'auto-startup'");
	}

	@Test
	void metadataShouldHintStageBeanNamesAsStageKeys() throws IOException {
		List<String> targets = JsonPath.read(blllibMetadata(),
				"$.hints[?(@.name == 'blllib.stages.keys')].providers[0].parameters.target");
		assertThat(targets).containsExactly("io.github.blllib.Stage");
	}

	@Test
	void metricsShouldBeEnabledByDefault() throws IOException {
		List<Object> defaults = JsonPath.read(blllibMetadata(),
				"$.properties[?(@.name == 'blllib.metrics.enabled')].defaultValue");
		assertThat(defaults).containsExactly(true);
	}

	@Test
	void closeTimeoutShouldBeADurationOfTenSecondsByDefault() throws IOException {
		List<Map<String, Object>> closeTimeout = JsonPath.read(blllibMetadata(),
				"$.properties[?(@.name == 'blllib.shutdown.close-timeout')]");
		assertThat(closeTimeout).singleElement().satisfies((property) -> {
			assertThat(property).containsEntry("type", "java.time.Duration").containsEntry("defaultValue", "10s");
			assertThat((String) property.get("description")).contains("one deadline shared by all of them",
					"logged at WARN");
		});
	}

	@Test
	void liveViewShouldBeOffByDefaultAtPathBlllib() throws IOException {
		String metadata = blllibMetadata();
		assertThat(JsonPath.<List<Object>>read(metadata, "$.properties[?(@.name == 'blllib.ui.enabled')].defaultValue"))
			.containsExactly(false);
		assertThat(JsonPath.<List<Object>>read(metadata, "$.properties[?(@.name == 'blllib.ui.path')].defaultValue"))
			.containsExactly("/blllib");
	}

	private String blllibMetadata() throws IOException {
		for (URL url : Collections.list(getClass().getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				if (json.contains(BlllibProperties.class.getName())) {
					return json;
				}
			}
		}
		throw new IllegalStateException("No configuration metadata for " + BlllibProperties.class.getName());
	}

}
