package io.github.blllib;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StageSettingsTests {

	private static final String STATEFUL_ALLOWED = "'true', 'false' or a positive integer window size (1, 2, 3, ...)";

	@Test
	void trueIsStatefulOnADedicatedThread() {
		StageSettings settings = StageSettings.of("acc", "true", 1, false);
		assertThat(settings.kind()).isEqualTo(StageKind.STATEFUL);
		assertThat(settings.window()).isZero();
		assertThat(settings.stateful()).isEqualTo("true");
		assertThat(settings.needsDedicatedThread()).isTrue();
	}

	@Test
	void falseIsStatelessWithoutADedicatedThread() {
		StageSettings settings = StageSettings.of("neg", "false", 4, false);
		assertThat(settings.kind()).isEqualTo(StageKind.STATELESS);
		assertThat(settings.window()).isZero();
		assertThat(settings.batchSize()).isEqualTo(4);
		assertThat(settings.stateful()).isEqualTo("false");
		assertThat(settings.needsDedicatedThread()).isFalse();
	}

	@Test
	void positiveIntegerIsAWindowOfThatSize() {
		StageSettings settings = StageSettings.of("diff", "3", 2, false);
		assertThat(settings.kind()).isEqualTo(StageKind.WINDOW);
		assertThat(settings.window()).isEqualTo(3);
		assertThat(settings.stateful()).isEqualTo("3");
		assertThat(settings.needsDedicatedThread()).isFalse();
	}

	@Test
	void caseAndSurroundingBlanksAreIgnoredAndTheValueIsSpelledAsTheSeedDoes() {
		assertThat(StageSettings.of("a", " TRUE ", 1, false).stateful()).isEqualTo("true");
		assertThat(StageSettings.of("a", "False", 1, false).stateful()).isEqualTo("false");
		assertThat(StageSettings.of("a", " 2 ", 1, false).stateful()).isEqualTo("2");
	}

	@Test
	void statefulStageRunInMasterNeedsNoDedicatedThread() {
		StageSettings settings = StageSettings.of("acc", "true", 1, true);
		assertThat(settings.runInMaster()).isTrue();
		assertThat(settings.needsDedicatedThread()).isFalse();
	}

	@Test
	void anyBatchSizeOfAtLeastOneIsAllowed() {
		assertThat(StageSettings.of("neg", "false", 1, false).batchSize()).isEqualTo(1);
		assertThat(StageSettings.of("neg", "false", Integer.MAX_VALUE, false).batchSize())
			.isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void settingsAreEqualWhenEverySettingIsEqual() {
		assertThat(StageSettings.of("a", "2", 3, true)).isEqualTo(StageSettings.of("b", "2", 3, true))
			.hasSameHashCodeAs(StageSettings.of("b", "2", 3, true))
			.isNotEqualTo(StageSettings.of("a", "3", 3, true))
			.isNotEqualTo(StageSettings.of("a", "2", 4, true))
			.isNotEqualTo(StageSettings.of("a", "2", 3, false));
		assertThat(StageSettings.of("a", "2", 3, true)).hasToString("stateful=2, batchSize=3, runInMaster=true");
	}

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "0", "-1", "abc", "", "1.5", "yes", "99999999999" })
	void badStatefulValueNamesStageSettingValueAndAllowedValues(String value) {
		InvalidStageSettingException ex = catchThrowableOfType(InvalidStageSettingException.class,
				() -> StageSettings.of("diff", value, 1, false));
		assertThat(ex).isInstanceOf(IllegalArgumentException.class);
		assertThat(ex.stage()).isEqualTo("diff");
		assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.STATEFUL).isEqualTo("stateful");
		assertThat(ex.value()).isEqualTo(String.valueOf(value));
		assertThat(ex.allowedValues()).isEqualTo(STATEFUL_ALLOWED);
		assertThat(ex).hasMessage("Stage 'diff': stateful must be " + STATEFUL_ALLOWED + ", but was '" + value + "'");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -3, Integer.MIN_VALUE })
	void batchSizeBelowOneNamesStageSettingValueAndAllowedValues(int size) {
		InvalidStageSettingException ex = catchThrowableOfType(InvalidStageSettingException.class,
				() -> StageSettings.of("neg", "false", size, false));
		assertThat(ex.stage()).isEqualTo("neg");
		assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.BATCH_SIZE).isEqualTo("batchSize");
		assertThat(ex.value()).isEqualTo(Integer.toString(size));
		assertThat(ex.allowedValues()).isEqualTo("an integer of at least 1");
		assertThat(ex).hasMessage("Stage 'neg': batchSize must be an integer of at least 1, but was '" + size + "'");
	}

	@Test
	void badStatefulValueIsReportedBeforeABadBatchSize() {
		InvalidStageSettingException ex = catchThrowableOfType(InvalidStageSettingException.class,
				() -> StageSettings.of("both", "maybe", 0, false));
		assertThat(ex.setting()).isEqualTo("stateful");
		assertThat(ex.value()).isEqualTo("maybe");
	}

	@Test
	void blankValueIsReportedTrimmed() {
		assertThat(catchThrowableOfType(InvalidStageSettingException.class,
				() -> StageSettings.of("diff", "  ", 1, false)).value()).isEmpty();
	}

	@Test
	void defaultNCpuIsAvailableProcessorsMinusStagesOnADedicatedThread() {
		int processors = Runtime.getRuntime().availableProcessors();
		List<StageSettings> stages = List.of(StageSettings.of("a", "true", 1, false),
				StageSettings.of("b", "true", 1, false), StageSettings.of("c", "true", 1, true),
				StageSettings.of("d", "false", 1, false), StageSettings.of("e", "2", 1, false));
		assertThat(StageSettings.defaultNCpu(stages)).isEqualTo(Math.max(1, processors - 2));
		assertThat(StageSettings.defaultNCpu(List.of())).isEqualTo(processors);
	}

	@Test
	void defaultNCpuIsAtLeastOne() {
		int processors = Runtime.getRuntime().availableProcessors();
		List<StageSettings> stateful = Collections.nCopies(processors + 3, StageSettings.of("s", "true", 1, false));
		assertThat(StageSettings.defaultNCpu(stateful)).isEqualTo(1);
	}

}
