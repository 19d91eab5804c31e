package io.github.blllib;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How in-master stages sample their timing, and how the counters scale it to all calls. */
class StageCountersTests {

	private final StageCounters counters = new StageCounters("s");

	@Test
	void afterACheapTimedCallTheNextTimedCallIsTheCheapInterval() {
		assertThat(InMasterChain.timingInterval(500)).isEqualTo(1024);
	}

	@Test
	void afterAMediumTimedCallEverySixteenthCallIsTimed() {
		assertThat(InMasterChain.timingInterval(1_000)).isEqualTo(16);
		assertThat(InMasterChain.timingInterval(99_999)).isEqualTo(16);
	}

	@Test
	void afterASlowTimedCallEveryCallIsTimed() {
		assertThat(InMasterChain.timingInterval(100_000)).isEqualTo(1);
		assertThat(InMasterChain.timingInterval(500_000)).isEqualTo(1);
	}

	@Test
	void totalTimeScalesTheSampledMeanToAllCalls() {
		this.counters.masterCallTimed(300);
		this.counters.masterCallTimed(500);
		this.counters.addMasterCounts(100, 0, 0, 0);
		// mean of the timed calls (400 ns) times the 100 calls made
		assertThat(this.counters.totalTimeNanos()).isEqualTo(40_000);
	}

	@Test
	void publishedInMasterCountsSplitIntoOutcomesAndAddUp() {
		this.counters.addMasterCounts(10, 3, 1, 0);
		this.counters.addMasterCounts(5, 1, 0, 0);
		assertThat(this.counters.succeeded()).isEqualTo(10);
		assertThat(this.counters.dropped()).isEqualTo(4);
		assertThat(this.counters.failed()).isEqualTo(1);
	}

	@Test
	void parallelChunksAddTheirMeasuredTime() {
		this.counters.finished(3, 1, 0, 1_000);
		this.counters.finished(2, 0, 1, 2_000);
		assertThat(this.counters.totalTimeNanos()).isEqualTo(3_000);
		assertThat(this.counters.succeeded()).isEqualTo(5);
		assertThat(this.counters.dropped()).isEqualTo(1);
		assertThat(this.counters.failed()).isEqualTo(1);
	}

}
