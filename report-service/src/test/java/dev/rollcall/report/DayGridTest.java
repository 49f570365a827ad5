package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DayGridTest {

    record Item(Employee who, LocalDate date, long seconds) {
    }

    @Test
    void rowsAreWhateverTheCallerSaysTwoEmployeesOfTheSameNameStayApart() {
        Employee annaA = new Employee("Anna Schmidt", "AAAAAA", "E1", "Anna Schmidt");
        Employee annaB = new Employee("Anna Schmidt", "BBBBBB", "E2", "Anna Schmidt");
        ReportRange march = ReportRange.month(YearMonth.of(2026, 3));
        List<Item> items = List.of(new Item(annaB, LocalDate.of(2026, 3, 2), 600),
                new Item(annaA, LocalDate.of(2026, 3, 2), 60), new Item(annaA, LocalDate.of(2026, 3, 31), 120),
                new Item(annaA, LocalDate.of(2026, 4, 1), 9999));

        DayGrid<Employee, Item> grid = DayGrid.of(march, items, Item::who, Item::date, i -> i, Item::seconds, i -> 1,
                Employee.BY_LABEL);

        assertThat(grid.rows()).extracting(DayGrid.Row::header).containsExactly(annaA, annaB);
        assertThat(grid.rows().getFirst().total()).isEqualTo(new DayGrid.Sum(180, 2, 2));
        assertThat(grid.rows().getFirst().cells().get(30).seconds()).isEqualTo(120);
        assertThat(grid.dayTotals().get(1)).isEqualTo(new DayGrid.Sum(660, 2, 2));
        assertThat(grid.dayTotals().get(0)).isEqualTo(new DayGrid.Sum(0, 0, 0));
        assertThat(grid.total()).isEqualTo(new DayGrid.Sum(780, 3, 3));
    }

    @Test
    void anEmptyRangeOfItemsIsAnEmptyGridWithItsDays() {
        DayGrid<String, Long> grid = DayGrid.of(ReportRange.weekOf(LocalDate.of(2026, 3, 10)), List.<Long>of(),
                x -> "x", x -> LocalDate.MIN, x -> x, x -> x, x -> 1, Comparator.<String>naturalOrder());
        assertThat(grid.days()).hasSize(7);
        assertThat(grid.rows()).isEmpty();
        assertThat(grid.dayTotals()).hasSize(7);
    }
}
