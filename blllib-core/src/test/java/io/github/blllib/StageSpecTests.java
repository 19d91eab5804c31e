package io.github.blllib;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StageSpecTests {

	private final Stage<Integer, Integer> identity = (x) -> x;

	@Test
	void statefulIsTheDefaultKindWithBatchSizeOneNotInMaster() {
		StageSpec<Integer, Integer> spec = StageSpec.stateful("acc", this.identity);
		assertThat(spec.kind()).isEqualTo(StageKind.STATEFUL);
		assertThat(spec.batchSize()).isEqualTo(1);
		assertThat(spec.isRunInMaster()).isFalse();
		assertThat(spec.settings().stateful()).isEqualTo("true");
		assertThat(spec.needsDedicatedThread()).isTrue();
	}

	@Test
	void stagelessAndWindowFactoriesSetTheirKind() {
		assertThat(StageSpec.stateless("neg", this.identity).kind()).isEqualTo(StageKind.STATELESS);
		StageSpec<Integer, Integer> window = StageSpec.window("sum", 3, (List<Integer> w) -> w.size());
		assertThat(window.kind()).isEqualTo(StageKind.WINDOW);
		assertThat(window.window()).isEqualTo(3);
		assertThat(window.settings().stateful()).isEqualTo("3");
	}

	@Test
	void batchSizeAndRunInMasterReturnCopiesAndLeaveTheOriginalUnchanged() {
		StageSpec<Integer, Integer> original = StageSpec.stateless("neg", this.identity);
		StageSpec<Integer, Integer> copy = original.batchSize(7).runInMaster();
		assertThat(copy.batchSize()).isEqualTo(7);
		assertThat(copy.isRunInMaster()).isTrue();
		assertThat(copy.needsDedicatedThread()).isFalse();
		assertThat(original.batchSize()).isEqualTo(1);
		assertThat(original.isRunInMaster()).isFalse();
	}

	@Test
	void ofReadsTheAnnotationOnTheStageClass() {
		StageSpec<List<Integer>, Integer> spec = StageSpec.of("diff", new AnnotatedWindow());
		assertThat(spec.kind()).isEqualTo(StageKind.WINDOW);
		assertThat(spec.window()).isEqualTo(3);
		assertThat(spec.batchSize()).isEqualTo(4);
		assertThat(spec.isRunInMaster()).isTrue();
	}

	@Test
	void ofReadsTheAnnotationOfASuperclass() {
		StageSpec<Integer, Integer> spec = StageSpec.of("neg", new AnnotatedStateless() {
		});
		assertThat(spec.kind()).isEqualTo(StageKind.STATELESS);
		assertThat(spec.batchSize()).isEqualTo(8);
	}

	@Test
	void ofWithoutAnnotationUsesTheDefaults() {
		StageSpec<Integer, Integer> spec = StageSpec.of("plain", this.identity);
		assertThat(spec.kind()).isEqualTo(StageKind.STATEFUL);
		assertThat(spec.batchSize()).isEqualTo(1);
		assertThat(spec.isRunInMaster()).isFalse();
	}

	@Test
	void ofWithStatelessAnnotationGivesAStatelessStage() {
		StageSpec<Integer, Integer> spec = StageSpec.of("neg", new AnnotatedStateless());
		assertThat(spec.kind()).isEqualTo(StageKind.STATELESS);
		assertThat(spec.batchSize()).isEqualTo(8);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-1", "abc", "", "1.5", "yes" })
	void invalidStatefulValueIsRejectedNamingTheStageAndTheValue(String value) {
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> StageSpec.of("diff", this.identity, value, 1, false))
			.withMessageContaining("'diff'")
			.withMessageContaining("'" + value + "'")
			.withMessageContaining("'true', 'false' or a positive integer");
	}

	@Test
	void invalidStatefulOnAnAnnotationIsRejectedAtCreation() {
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> StageSpec.of("bad", new BadlyAnnotated()))
			.withMessageContaining("'bad'")
			.withMessageContaining("'zero'");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -3 })
	void batchSizeBelowOneIsRejectedNamingTheStageAndTheValue(int size) {
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> StageSpec.stateless("neg", this.identity).batchSize(size))
			.withMessage("Stage 'neg': batchSize must be an integer of at least 1, but was '" + size + "'");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -2 })
	void windowBelowOneIsRejectedNamingTheStageAndTheValue(int k) {
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> StageSpec.window("w", k, (List<Integer> w) -> w))
			.withMessageContaining("'w'")
			.withMessageContaining("'" + k + "'")
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo("stateful"));
	}

	@Test
	void copiesKeepTheSettingsTheyDoNotChange() {
		StageSpec<Integer, Integer> window = StageSpec.window("sum", 3, (List<Integer> w) -> w.size());
		assertThat(window.batchSize(5).runInMaster().settings()).isEqualTo(StageSettings.of("sum", "3", 5, true));
		assertThat(window.runInMaster().runInMaster(false).settings()).isEqualTo(window.settings());
	}

	@Test
	void ofWithParsedSettingsTakesThemAsTheyAre() {
		StageSettings settings = StageSettings.of("diff", "2", 4, true);
		StageSpec<Integer, Integer> spec = StageSpec.of("diff", this.identity, settings);
		assertThat(spec.settings()).isSameAs(settings);
		assertThat(spec.kind()).isEqualTo(StageKind.WINDOW);
		assertThat(spec.window()).isEqualTo(2);
		assertThat(spec.batchSize()).isEqualTo(4);
		assertThat(spec.isRunInMaster()).isTrue();
		assertThat(spec.settings().stateful()).isEqualTo("2");
		assertThat(spec).hasToString("StageSpec[diff, stateful=2, batchSize=4, runInMaster=true]");
	}

	@Test
	void everySettingIsReadFromSettingsAndEveryCopyKeepsTheOthers() {
		Retry retry = Retry.maxRetries(2).delay(Duration.ofMillis(5));
		StageSpec<Integer, Integer> spec = StageSpec.window("diff", 2, (List<Integer> w) -> w.get(1) - w.get(0))
			.batchSize(4)
			.retry(retry)
			.skipFailures()
			.skipLimit(3)
			.timeout(Duration.ofSeconds(1));
		StageSettings settings = spec.settings();
		assertThat(settings.kind()).isEqualTo(StageKind.WINDOW);
		assertThat(settings.window()).isEqualTo(2);
		assertThat(settings.batchSize()).isEqualTo(4);
		assertThat(settings.runInMaster()).isFalse();
		assertThat(settings.retry()).isEqualTo(retry);
		assertThat(settings.skipFailures()).isTrue();
		assertThat(settings.skipLimit()).isEqualTo(3);
		assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(spec.batchSize(8).settings().toBuilder("diff").batchSize(4).build()).isEqualTo(settings);
	}

	@Test
	void ofFunctionAndSettingsCopiesASpecWithEverySetting() {
		StageSpec<Integer, Integer> spec = StageSpec.stateless("s", this.identity)
			.retry(Retry.maxRetries(1))
			.skipFailures()
			.timeout(Duration.ofSeconds(2));
		StageSpec<Integer, Integer> copy = StageSpec.of(spec.name(), spec.function(), spec.settings());
		assertThat(copy.settings()).isEqualTo(spec.settings());
		assertThat(copy.function().instance()).isSameAs(this.identity);
		assertThat(copy.stage()).isSameAs(this.identity);
		assertThat(copy.asyncStage()).isNull();
	}

	@Test
	void anAsyncStageKeepsTheStatefulValueItWasGivenAndTakesNoThread() {
		AsyncStage<Integer, Integer> remote = CompletableFuture::completedFuture;
		StageSpec<Integer, Integer> spec = StageSpec.async("remote", remote, StageSettings.of("remote", "true", 2, false));
		assertThat(spec.settings().stateful()).isEqualTo("true");
		assertThat(spec.function()).isEqualTo(new StageFunction.Async<>(remote));
		assertThat(spec.needsDedicatedThread()).isFalse();
		assertThat(spec.settings().needsDedicatedThread()).isTrue();
	}

	@Test
	void everySettingErrorNamesTheStageTheSettingTheValueAndTheAllowedValues() {
		StageSpec<Integer, Integer> spec = StageSpec.stateless("s", this.identity);
		assertThatExceptionOfType(InvalidStageSettingException.class).isThrownBy(() -> spec.skipLimit(-1))
			.satisfies((ex) -> assertThat(ex.stage()).isEqualTo("s"))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.SKIP_LIMIT))
			.satisfies((ex) -> assertThat(ex.value()).isEqualTo("-1"))
			.satisfies((ex) -> assertThat(ex.allowedValues()).contains("zero or more"));
		assertThatExceptionOfType(InvalidStageSettingException.class).isThrownBy(() -> spec.timeout(Duration.ZERO))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.TIMEOUT))
			.satisfies((ex) -> assertThat(ex.allowedValues()).contains("positive duration"));
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> spec.timeout(Duration.ofSeconds(1)).runInMaster())
			.satisfies((ex) -> assertThat(ex.stage()).isEqualTo("s"))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.TIMEOUT))
			.satisfies((ex) -> assertThat(ex.allowedValues()).contains("runs in master"));
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> Retry.maxRetries(1).multiplier(0.5))
			.satisfies((ex) -> assertThat(ex.stage()).isNull())
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.RETRY_MULTIPLIER))
			.satisfies((ex) -> assertThat(ex.value()).isEqualTo("0.5"))
			.withMessage("retry.multiplier must be a finite number of at least 1, such as 1.5 or 2, but was '0.5'");
	}

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void aRetryRefusesAClassThatIsNotAnExceptionEvenThroughARawType() {
		Class raw = String.class;
		assertThatExceptionOfType(InvalidStageSettingException.class)
			.isThrownBy(() -> Retry.maxRetries(1).includes(IOException.class, raw))
			.satisfies((ex) -> assertThat(ex.setting()).isEqualTo(InvalidStageSettingException.RETRY_INCLUDES))
			.satisfies((ex) -> assertThat(ex.value()).isEqualTo("java.lang.String"));
	}

	@Test
	void blankNameIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> StageSpec.stateless(" ", this.identity))
			.withMessageContaining("Stage name");
	}

	@BlllibStage(stateful = "3", batchSize = 4, runInMaster = true)
	static class AnnotatedWindow implements Stage<List<Integer>, Integer> {

		@Override
		public Integer apply(List<Integer> window) {
			return window.get(2) - window.get(0);
		}

	}

	@BlllibStage(stateful = "false", batchSize = 8)
	static class AnnotatedStateless implements Stage<Integer, Integer> {

		@Override
		public Integer apply(Integer x) {
			return -x;
		}

	}

	@BlllibStage(stateful = "zero")
	static class BadlyAnnotated implements Stage<Integer, Integer> {

		@Override
		public Integer apply(Integer x) {
			return x;
		}

	}

}
