package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.sql.SequenceEdits;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One session's view of the sequences: the values its statements take (from the instance's blocks,
 * {@link ClusterSequences}) and, as in PostgreSQL, the last value each sequence gave this session
 * ({@code currval}) and the last value any gave it ({@code lastval}).
 */
final class SessionSequences {

  private final ClusterSequences sequences;
  private final Map<String, Long> current = new HashMap<>();
  private @Nullable Long last;

  SessionSequences(ClusterSequences sequences) {
    this.sequences = requireNonNull(sequences, "sequences");
  }

  /** The values of a statement's places, in order: each nextval takes the next value. */
  List<Long> values(List<SequenceEdits.Value> places) throws SQLException {
    List<Long> values = new ArrayList<>(places.size());
    for (SequenceEdits.Value place : places) {
      values.add(value(place));
    }
    return values;
  }

  private long value(SequenceEdits.Value place) throws SQLException {
    if (place instanceof SequenceEdits.ColumnDefault column) {
      return next(column.sequence());
    }
    if (place instanceof SequenceEdits.NextVal next) {
      return next(sequences.resolve(next.sequence()));
    }
    if (place instanceof SequenceEdits.CurrVal currval) {
      Long value = current.get(sequences.resolve(currval.sequence()));
      if (value == null) {
        throw ZynamoErrors.create(
            ZynamoSqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
            "currval of sequence \""
                + relationName(currval.sequence())
                + "\" is not yet defined in this session");
      }
      return value;
    }
    if (place instanceof SequenceEdits.SetVal setval) {
      String sequence = sequences.resolve(setval.sequence());
      sequences.set(sequence, setval.value(), setval.called());
      if (setval.called()) {
        current.put(sequence, setval.value());
      }
      return setval.value();
    }
    Long value = last;
    if (value == null) {
      throw ZynamoErrors.create(
          ZynamoSqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "lastval is not yet defined in this session");
    }
    return value;
  }

  private long next(String sequence) throws SQLException {
    long value = sequences.next(sequence);
    current.put(sequence, value);
    last = value;
    return value;
  }

  /** {@code s} of {@code public.s}, as PostgreSQL names the sequence in its messages. */
  private static String relationName(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(dot + 1);
  }
}
