package io.github.blllib;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Groups upstream items into immutable sliding windows of exactly {@code k} consecutive items,
 * step 1: {@code n} items give {@code max(0, n - k + 1)} windows. Holds {@code k - 1} items.
 */
final class SlidingWindowNode extends RunNode {

	private final RunNode upstream;

	private final Object[] ring;

	private int size;

	private int start;

	SlidingWindowNode(RunNode upstream, int k) {
		this.upstream = upstream;
		this.ring = new Object[k];
	}

	@Override
	void beforeWait() {
		this.upstream.beforeWait();
	}

	@Override
	Object poll() {
		int k = this.ring.length;
		while (true) {
			Object item = this.upstream.poll();
			if (item == NOT_READY || item == END) {
				return item;
			}
			if (this.size < k) {
				this.ring[(this.start + this.size) % k] = item;
				this.size++;
			}
			else {
				this.ring[this.start] = item;
				this.start = (this.start + 1) % k;
			}
			if (this.size == k) {
				Object[] window = new Object[k];
				for (int i = 0; i < k; i++) {
					window[i] = this.ring[(this.start + i) % k];
				}
				return Collections.unmodifiableList(Arrays.asList(window));
			}
		}
	}

}
