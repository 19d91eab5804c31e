package io.github.blllib;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StageSpecTest {

	private final Stage<Integer, Integer> identity = (x) -> x;

	@Test
	void statefulIsTheDefaultKindWithBatchSizeOneNotInMaster() {
		StageSpec<Integer, Integer> spec = StageSpec.stateful("acc", this.identity);
		assertThat(spec.kind()).isEqualTo(StageKind.STATEFUL);
		assertThat(spec.batchSize()).isEqualTo(1);
		assertThat(spec.isRunInMaster()).isFalse();
		assertThat(spec.stateful()).isEqualTo("true");
		assertThat(spec.needsDedicatedThread()).isTrue();
	}

	@Test
	void stagelessAndWindowFactoriesSetTheirKind() {
		assertThat(StageSpec.stateless("neg", this.identity).kind()).isEqualTo(StageKind.STATELESS);
		StageSpec<Integer, Integer> window = StageSpec.window("sum", 3, (List<Integer> w) -> w.size());
		assertThat(window.kind()).isEqualTo(StageKind.WINDOW);
		assertThat(window.window()).isEqualTo(3);
		assertThat(window.stateful()).isEqualTo("3");
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
		assertThat(spec.stateful()).isEqualTo("2");
		assertThat(spec).hasToString("StageSpec[diff, stateful=2, batchSize=4, runInMaster=true]");
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
