package io.github.blllib;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How in-master stages sample their timing and scale it to all calls. */
class StageCountersTest {

	private final StageCounters counters = new StageCounters(StageSpec.stateless("s", (Integer x) -> x));

	@Test
	void firstInMasterCallIsTimed() {
		assertThat(this.counters.shouldTimeMasterCall()).isTrue();
	}

	@Test
	void afterACheapTimedCallTheNextTimedCallIsTheCheapInterval() {
		assertThat(timedCallPositionsAfter(500, 3000)).containsExactly(0, 1024, 2048);
	}

	@Test
	void afterAMediumTimedCallEverySixteenthCallIsTimed() {
		assertThat(timedCallPositionsAfter(50_000, 40)).containsExactly(0, 16, 32);
	}

	@Test
	void afterASlowTimedCallEveryCallIsTimed() {
		assertThat(timedCallPositionsAfter(500_000, 4)).containsExactly(0, 1, 2, 3);
	}

	@Test
	void totalTimeScalesTheSampledMeanToAllCalls() {
		for (int call = 0; call < 100; call++) {
			this.counters.masterCallStarted();
		}
		this.counters.masterCallTimed(300);
		this.counters.masterCallTimed(500);
		// mean of the timed calls (400 ns) times the 100 calls made
		assertThat(this.counters.totalTimeNanos()).isEqualTo(40_000);
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

	/** Positions among {@code calls} calls that are timed, each timed call taking {@code nanos}. */
	private List<Integer> timedCallPositionsAfter(long nanos, int calls) {
		List<Integer> timed = new ArrayList<>();
		for (int call = 0; call < calls; call++) {
			if (this.counters.shouldTimeMasterCall()) {
				timed.add(call);
				this.counters.masterCallTimed(nanos);
			}
			this.counters.masterCallStarted();
		}
		return timed;
	}

}
