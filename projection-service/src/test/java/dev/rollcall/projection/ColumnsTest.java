package dev.rollcall.projection;

import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ColumnsTest {

    @Test
    void rowsBecomeOneTypedArrayPerColumnInTheOrderAdded() {
        Columns c = new Columns(3);
        assertThat(c.isEmpty()).isTrue();
        c.add("hq", LocalDate.of(2026, 12, 1), 3);
        c.add("lab", LocalDate.of(2026, 12, 2), null);
        Tuple t = c.tuple(String[]::new, LocalDate[]::new, Integer[]::new);
        assertThat(c.isEmpty()).isFalse();
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.getValue(0)).isInstanceOf(String[].class).isEqualTo(new String[]{"hq", "lab"});
        assertThat(t.getValue(1)).isInstanceOf(LocalDate[].class)
                .isEqualTo(new LocalDate[]{LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 2)});
        assertThat(t.getValue(2)).isInstanceOf(Integer[].class).isEqualTo(new Integer[]{3, null});
    }

    @Test
    void aRowOrAnArrayTypeTooManyOrOfTheWrongTypeIsRefused() {
        Columns c = new Columns(2);
        assertThatThrownBy(() -> c.add("hq")).isInstanceOf(IllegalArgumentException.class).hasMessage("a row of 1 values for 2 columns");
        c.add("hq", 1);
        assertThatThrownBy(() -> c.tuple(String[]::new)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("1 array types for 2 columns");
        assertThatThrownBy(() -> c.tuple(String[]::new, String[]::new)).isInstanceOf(ArrayStoreException.class);
    }
}
