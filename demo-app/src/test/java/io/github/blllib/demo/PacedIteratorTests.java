package io.github.blllib.demo;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PacedIterator}, which keeps the demo's long job watchable. Only the lower
 * bound of its pace is checked: a busy machine may make it slower, never faster.
 */
class PacedIteratorTests {

	@Test
	void noPaceShouldHandOutTheIteratorItself() {
		Iterator<Integer> items = List.of(1, 2, 3).iterator();
		assertThat(PacedIterator.of(items, 0)).isSameAs(items);
	}

	@Test
	void pacedItemsShouldComeInOrderAndNoFasterThanThePace() {
		List<Integer> items = new ArrayList<>();
		long start = System.nanoTime();
		PacedIterator.of(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).iterator(), 200).forEachRemaining(items::add);
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(items).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
		// The 11th item is due 10 intervals of 5 ms after the first; each may be handed 2 ms early.
		assertThat(elapsedMillis).isGreaterThanOrEqualTo(48);
	}

}
