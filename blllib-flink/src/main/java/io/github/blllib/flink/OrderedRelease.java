package io.github.blllib.flink;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * An ordering point (parallelism 1): items arrive in any order from parallel subtasks and leave
 * in sequence, with the dropped ones removed and the rest numbered afresh from 0. Items that
 * arrive early wait in managed state. With a window size {@code k} it emits, instead of each
 * item, the sliding windows of {@code k} consecutive items (step 1), the last {@code k - 1}
 * items kept in managed state too.
 */
final class OrderedRelease extends KeyedProcessFunction<Integer, Sequenced, Sequenced> {

	private static final long serialVersionUID = 1L;

	/** Window size, or 0 to release items one by one. */
	private final int window;

	/** Sequence number of the next item to release. */
	private transient ValueState<Long> nextIn;

	/** Sequence number of the next item (or window) to emit. */
	private transient ValueState<Long> nextOut;

	/** Items that arrived before an earlier one, by sequence number. */
	private transient MapState<Long, Sequenced> early;

	/** The last {@code window - 1} items released, oldest first. */
	private transient ListState<Object> recent;

	OrderedRelease(int window) {
		this.window = window;
	}

	@Override
	public void open(OpenContext openContext) {
		this.nextIn = getRuntimeContext().getState(new ValueStateDescriptor<>("next-in", Types.LONG));
		this.nextOut = getRuntimeContext().getState(new ValueStateDescriptor<>("next-out", Types.LONG));
		this.early = getRuntimeContext()
			.getMapState(new MapStateDescriptor<>("early", Types.LONG, TypeInformation.of(Sequenced.class)));
		this.recent = getRuntimeContext()
			.getListState(new ListStateDescriptor<>("recent", TypeInformation.of(Object.class)));
	}

	@Override
	public void processElement(Sequenced item, Context context, Collector<Sequenced> out) throws Exception {
		long expected = valueOrZero(this.nextIn);
		if (item.sequence != expected) {
			this.early.put(item.sequence, item);
			return;
		}
		long emitted = valueOrZero(this.nextOut);
		Sequenced next = item;
		while (next != null) {
			if (!next.isDropped()) {
				emitted = release(next.value, emitted, out);
			}
			expected++;
			next = this.early.get(expected);
			if (next != null) {
				this.early.remove(expected);
			}
		}
		this.nextIn.update(expected);
		this.nextOut.update(emitted);
	}

	private long release(Object value, long emitted, Collector<Sequenced> out) throws Exception {
		if (this.window == 0) {
			out.collect(new Sequenced(emitted, value));
			return emitted + 1;
		}
		List<Object> items = new ArrayList<>(this.window);
		this.recent.get().forEach(items::add);
		items.add(value);
		boolean full = items.size() == this.window;
		if (full) {
			out.collect(new Sequenced(emitted, new ArrayList<>(items)));
			items.remove(0);
		}
		this.recent.update(items);
		return full ? emitted + 1 : emitted;
	}

	private static long valueOrZero(ValueState<Long> state) throws Exception {
		Long value = state.value();
		return (value != null) ? value : 0;
	}

}
