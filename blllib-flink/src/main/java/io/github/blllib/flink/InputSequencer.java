package io.github.blllib.flink;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Numbers the pipeline's input in the order it arrives (parallelism 1): the order every later
 * ordering point restores. The next number is kept in managed state.
 *
 * @param <I> input type
 */
final class InputSequencer<I> extends KeyedProcessFunction<Integer, I, Sequenced> {

	private static final long serialVersionUID = 1L;

	private transient ValueState<Long> next;

	@Override
	public void open(OpenContext openContext) {
		this.next = getRuntimeContext().getState(new ValueStateDescriptor<>("next-sequence", Types.LONG));
	}

	@Override
	public void processElement(I input, Context context, Collector<Sequenced> out) throws Exception {
		Long sequence = this.next.value();
		long current = (sequence != null) ? sequence : 0;
		out.collect(new Sequenced(current, input));
		this.next.update(current + 1);
	}

}
