package io.github.blllib;

import java.util.List;

/**
 * Groups upstream items into immutable sliding windows of exactly {@code k} consecutive items,
 * step 1, for a stage that runs off the consuming thread: {@code n} items give
 * {@code max(0, n - k + 1)} windows.
 */
final class SlidingWindowNode extends RunNode {

	private final RunNode upstream;

	private final SlidingWindow window;

	SlidingWindowNode(RunNode upstream, int k) {
		this.upstream = upstream;
		this.window = new SlidingWindow(k);
	}

	@Override
	void beforeWait() {
		this.upstream.beforeWait();
	}

	@Override
	void publishCounts() {
		this.upstream.publishCounts();
	}

	@Override
	Object poll() {
		while (true) {
			Object item = this.upstream.poll();
			if (item == NOT_READY || item == END) {
				return item;
			}
			List<Object> completed = this.window.push(item);
			if (completed != null) {
				return completed;
			}
		}
	}

}
