package io.github.blllib.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The run's input: what it tells the poll thread as the run reads it. */
class RecordHandOverTests {

	private final AtomicInteger drained = new AtomicInteger();

	private final RecordHandOver input = new RecordHandOver(3, this.drained::incrementAndGet);

	@Test
	void aReadThatTakesTheQueueBelowTheReadAheadIsToldOnce() {
		for (int n = 0; n < 5; n++) {
			this.input.add(n);
		}
		Iterator<Object> values = this.input.iterator();
		assertThat(values.next()).isEqualTo(0);
		assertThat(values.next()).isEqualTo(1);
		assertThat(this.drained).as("4 and 3 values left: not below the read-ahead").hasValue(0);
		assertThat(values.next()).isEqualTo(2);
		assertThat(this.drained).as("2 left").hasValue(1);
		assertThat(values.next()).isEqualTo(3);
		assertThat(values.next()).isEqualTo(4);
		assertThat(this.drained).as("told once per fall below the read-ahead").hasValue(1);
	}

	@Test
	void aQueueFilledAgainIsToldAgainWhenReadDownAgain() {
		Iterator<Object> values = this.input.iterator();
		for (int round = 1; round <= 2; round++) {
			for (int n = 0; n < 3; n++) {
				this.input.add(n);
			}
			for (int n = 0; n < 3; n++) {
				assertThat(values.next()).isEqualTo(n);
			}
			assertThat(this.drained).hasValue(round);
		}
	}

	@Test
	void aQueueThatNeverHeldTheReadAheadTellsNothing() {
		this.input.add("a");
		this.input.add(null);
		this.input.finish();
		Iterator<Object> values = this.input.iterator();
		assertThat(values.next()).isEqualTo("a");
		assertThat(values.next()).isNull();
		assertThat(values.hasNext()).isFalse();
		assertThat(this.drained).hasValue(0);
	}

}
