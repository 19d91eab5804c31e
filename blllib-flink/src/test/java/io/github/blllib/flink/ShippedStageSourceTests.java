package io.github.blllib.flink;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.github.blllib.RateLimit;
import io.github.blllib.Retry;
import io.github.blllib.StageSettings;
import io.github.blllib.StageSpec;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a shipped stage arrives on the task manager with every setting of its spec. The
 * settings are enumerated from {@link StageSettings}' fields, so that a setting added later
 * cannot be forgotten: the spec below must set it to something other than its default.
 */
class ShippedStageSourceTests {

	private static final StageSettings DEFAULTS = StageSettings.builder("any").build();

	@Test
	void aShippedStageCarriesEverySettingOfItsSpec() throws IOException, ReflectiveOperationException {
		StageSpec<Long, Long> spec = StageSpec
			.window("diff", 2, SerializableStage.of((List<Long> window) -> window.get(1) - window.get(0)))
			.batchSize(3)
			.retry(Retry.maxRetries(2).delay(Duration.ofMillis(5)).multiplier(2).maxDelay(Duration.ofMillis(40)))
			.skipFailures()
			.skipLimit(7)
			.timeout(Duration.ofSeconds(3))
			.rateLimit(RateLimit.of(50, Duration.ofSeconds(1)));
		StageSettings sent = spec.settings();
		List<Field> settings = settingFields();
		for (Field setting : settings) {
			// run in master cannot be set with a timeout, and Flink never runs a stage in master
			if (!setting.getName().equals("runInMaster")) {
				assertThat(setting.get(sent)).as("setting %s differs from its default in this test", setting.getName())
					.isNotEqualTo(setting.get(DEFAULTS));
			}
		}

		ShippedStageSource shipped = InstantiationUtil.clone(new ShippedStageSource(spec));
		StageSpec<?, ?> received = shipped.open(null);

		assertThat(received.name()).isEqualTo("diff");
		assertThat(received.isAsync()).isFalse();
		for (Field setting : settings) {
			assertThat(setting.get(received.settings())).as(setting.getName()).isEqualTo(setting.get(sent));
		}
		assertThat(received.settings()).isEqualTo(sent);
		assertThat(received.settings().rateLimit()).as("a budget of the subtask's own")
			.isNotSameAs(sent.rateLimit());
	}

	/** Every instance field of {@link StageSettings}, readable. */
	private static List<Field> settingFields() {
		List<Field> fields = Arrays.stream(StageSettings.class.getDeclaredFields())
			.filter((field) -> !Modifier.isStatic(field.getModifiers()))
			.toList();
		fields.forEach((field) -> field.setAccessible(true));
		assertThat(fields).extracting(Field::getName).contains("kind", "batchSize", "retry", "timeout");
		return fields;
	}

}
