package io.github.blllib.flink;

/**
 * An item on its way through a {@link FlinkPipeline}, with its position in the stream of the
 * last ordering point. A {@code null} value marks an item a stage dropped: it still takes its
 * place, so that the next ordering point knows nothing is missing. A Flink POJO: public fields
 * and a no-argument constructor.
 */
public class Sequenced {

	/** Position in the stream of the last ordering point, from 0. */
	public long sequence;

	/** The item (a stage's input or output), or {@code null} for a dropped item. */
	public Object value;

	public Sequenced() {
	}

	Sequenced(long sequence, Object value) {
		this.sequence = sequence;
		this.value = value;
	}

	boolean isDropped() {
		return this.value == null;
	}

	@Override
	public String toString() {
		return "Sequenced[" + this.sequence + ", " + this.value + "]";
	}

}
