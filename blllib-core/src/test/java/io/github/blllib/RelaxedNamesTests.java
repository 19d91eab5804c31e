package io.github.blllib;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RelaxedNamesTests {

	@ParameterizedTest
	@ValueSource(strings = { "secondDiff", "second-diff", "second_diff", "SECOND-DIFF", "seconddiff", "Second-Diff" })
	void nameDifferingOnlyInCaseDashesAndUnderscoresFindsTheName(String wanted) {
		assertThat(RelaxedNames.find(wanted, Set.of("scale", "secondDiff"))).contains("secondDiff");
	}

	@Test
	void camelCaseNameFindsADashedName() {
		assertThat(RelaxedNames.find("secondDiff", Set.of("second-diff"))).contains("second-diff");
	}

	@Test
	void equalNameWinsOverARelaxedMatch() {
		assertThat(RelaxedNames.find("pair-sum", List.of("pairSum", "pair-sum"))).contains("pair-sum");
	}

	@Test
	void firstRelaxedMatchInIterationOrderWins() {
		assertThat(RelaxedNames.find("PAIRSUM", List.of("pair_sum", "pairSum"))).contains("pair_sum");
	}

	@Test
	void otherNamesAreNotFound() {
		assertThat(RelaxedNames.find("second-diff", Set.of("secondDifference", "diff", "second.diff"))).isEmpty();
		assertThat(RelaxedNames.find("x", List.of())).isEmpty();
		assertThat(RelaxedNames.find(null, Set.of("x"))).isEmpty();
	}

}
