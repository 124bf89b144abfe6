//! The risk calculation as data: five-level scales, the matrix or multiplication method and the
//! bands that turn values into levels (GB/T 20984: likelihood from threat and vulnerability,
//! impact from asset value and vulnerability, risk from likelihood and impact).

use serde::Serialize;

/// The levels every scale uses: 1 (very low) to 5 (very high).
pub const LEVELS: u8 = 5;

/// How a pair of levels becomes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Calculation {
    /// Look the value up in a 5 × 5 matrix.
    Matrix,
    /// Multiply the two levels (values 1 to 25).
    Product,
    /// The square root of the product, rounded half up (values 1 to 5).
    SqrtProduct,
}

/// One level of a scale with its meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScaleLevel {
    pub level: u8,
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: String,
}

/// One step of the calculation: the matrix (matrix method only) and the five bands of values,
/// band `i` giving level `i + 1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    pub matrix: Option<[[u32; 5]; 5]>,
    pub bands: [(u32, u32); 5],
}

/// A validated risk method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Method {
    pub name: String,
    pub name_en: String,
    pub calculation: Calculation,
    pub asset: Vec<ScaleLevel>,
    pub threat: Vec<ScaleLevel>,
    pub vulnerability: Vec<ScaleLevel>,
    /// Rows: threat frequency; columns: vulnerability severity.
    pub likelihood: Stage,
    /// Rows: asset value; columns: vulnerability severity.
    pub impact: Stage,
    /// Rows: likelihood level; columns: impact level.
    pub risk: Stage,
    /// Names of risk levels 1 to 5.
    pub level_names: [String; 5],
    pub level_names_en: [String; 5],
    /// Accepting a risk of this level or above needs a named approver.
    pub approval_from: u8,
}

/// The outcome of scoring one risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Score {
    pub likelihood_value: u32,
    pub likelihood: u8,
    pub impact_value: u32,
    pub impact: u8,
    pub risk_value: u32,
    pub risk: u8,
}

/// `round(sqrt(n))` with halves rounded up, in integers so every platform agrees:
/// the smallest `k` with `n < (k + 1/2)²`, i.e. `4n < (2k + 1)²`.
pub fn sqrt_rounded(n: u32) -> u32 {
    let mut k = 0u32;
    while (2 * k + 1) * (2 * k + 1) <= 4 * n {
        k += 1;
    }
    k
}

impl Calculation {
    /// The value of a pair of levels (each 1 to 5) under this calculation.
    pub fn value(self, stage: &Stage, row: u8, column: u8) -> u32 {
        let (r, c) = (u32::from(row), u32::from(column));
        match self {
            Calculation::Matrix => stage
                .matrix
                .map_or(0, |m| m[usize::from(row) - 1][usize::from(column) - 1]),
            Calculation::Product => r * c,
            Calculation::SqrtProduct => sqrt_rounded(r * c),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Calculation::Matrix => "matrix",
            Calculation::Product => "product",
            Calculation::SqrtProduct => "sqrt-product",
        }
    }
}

impl Stage {
    /// The level (1 to 5) whose band holds `value`, if any.
    pub fn level_of(&self, value: u32) -> Option<u8> {
        self.bands
            .iter()
            .position(|&(lo, hi)| lo <= value && value <= hi)
            .map(|i| i as u8 + 1)
    }
}

impl Method {
    /// Scores a risk from its asset value, threat frequency and vulnerability severity (each
    /// 1 to 5). A validated method bands every value it can produce, so this never fails.
    pub fn score(&self, asset: u8, threat: u8, vulnerability: u8) -> Score {
        let clamp = |l: u8| l.clamp(1, LEVELS);
        let (asset, threat, vulnerability) = (clamp(asset), clamp(threat), clamp(vulnerability));
        let likelihood_value = self
            .calculation
            .value(&self.likelihood, threat, vulnerability);
        let likelihood = self.likelihood.level_of(likelihood_value).unwrap_or(1);
        let impact_value = self.calculation.value(&self.impact, asset, vulnerability);
        let impact = self.impact.level_of(impact_value).unwrap_or(1);
        let risk_value = self.calculation.value(&self.risk, likelihood, impact);
        let risk = self.risk.level_of(risk_value).unwrap_or(1);
        Score {
            likelihood_value,
            likelihood,
            impact_value,
            impact,
            risk_value,
            risk,
        }
    }

    /// The name of risk level `level` (1 to 5).
    pub fn level_name(&self, level: u8, lang: crate::i18n::Lang) -> &str {
        let i = usize::from(level.clamp(1, LEVELS)) - 1;
        match lang {
            crate::i18n::Lang::Zh => &self.level_names[i],
            crate::i18n::Lang::En => &self.level_names_en[i],
        }
    }

    /// Every value a stage can produce, with the pair of levels that produces it; validation
    /// checks each falls in a band.
    pub fn values(&self, stage: &Stage) -> Vec<(u8, u8, u32)> {
        let mut out = Vec::with_capacity(25);
        for row in 1..=LEVELS {
            for column in 1..=LEVELS {
                out.push((row, column, self.calculation.value(stage, row, column)));
            }
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn level(l: u8) -> ScaleLevel {
        ScaleLevel {
            level: l,
            name: l.to_string(),
            name_en: l.to_string(),
            description: String::new(),
            description_en: String::new(),
        }
    }

    pub(crate) fn method(calculation: Calculation, m: Option<[[u32; 5]; 5]>) -> Method {
        let bands = match calculation {
            Calculation::SqrtProduct => [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)],
            _ => [(1, 5), (6, 10), (11, 15), (16, 20), (21, 25)],
        };
        let stage = Stage { matrix: m, bands };
        let names = ["1", "2", "3", "4", "5"].map(String::from);
        Method {
            name: "t".into(),
            name_en: "t".into(),
            calculation,
            asset: (1..=5).map(level).collect(),
            threat: (1..=5).map(level).collect(),
            vulnerability: (1..=5).map(level).collect(),
            likelihood: stage.clone(),
            impact: stage.clone(),
            risk: stage,
            level_names: names.clone(),
            level_names_en: names,
            approval_from: 4,
        }
    }

    /// The 5 × 5 matrix of the worked example often used with GB/T 20984 (values 1 to 25,
    /// growing faster with the column than with the row).
    pub(crate) const MATRIX: [[u32; 5]; 5] = [
        [2, 4, 7, 11, 14],
        [3, 6, 10, 13, 17],
        [5, 9, 12, 16, 20],
        [7, 11, 14, 18, 22],
        [8, 12, 17, 20, 25],
    ];

    #[test]
    fn rounded_square_roots_round_halves_up() {
        let expected = [
            0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5,
        ];
        for (n, &k) in expected.iter().enumerate() {
            assert_eq!(sqrt_rounded(n as u32), k, "sqrt({n})");
        }
        // 12.25 = 3.5²: 12 rounds down to 3, 13 up to 4.
        assert_eq!(sqrt_rounded(12), 3);
        assert_eq!(sqrt_rounded(13), 4);
    }

    #[test]
    fn matrix_method_known_cases() {
        let m = method(Calculation::Matrix, Some(MATRIX));
        // Threat 3, vulnerability 4 → 16 → likelihood 4; asset 4, vulnerability 4 → 18 →
        // impact 4; risk matrix at (4, 4) → 18 → level 4.
        let s = m.score(4, 3, 4);
        assert_eq!((s.likelihood_value, s.likelihood), (16, 4));
        assert_eq!((s.impact_value, s.impact), (18, 4));
        assert_eq!((s.risk_value, s.risk), (18, 4));
        // The lowest corner stays lowest, the highest highest.
        assert_eq!(m.score(1, 1, 1).risk, 1);
        assert_eq!(m.score(5, 5, 5).risk, 5);
        // Threat 2, vulnerability 3 → 10 → 2; asset 5, vulnerability 3 → 17 → 4;
        // risk (2, 4) → 13 → 3.
        let s = m.score(5, 2, 3);
        assert_eq!(
            (s.likelihood, s.impact, s.risk_value, s.risk),
            (2, 4, 13, 3)
        );
    }

    #[test]
    fn product_and_sqrt_product_known_cases() {
        let p = method(Calculation::Product, None);
        // 3 × 4 = 12 → 3; 4 × 4 = 16 → 4; 3 × 4 = 12 → 3.
        let s = p.score(4, 3, 4);
        assert_eq!((s.likelihood_value, s.likelihood), (12, 3));
        assert_eq!((s.impact_value, s.impact), (16, 4));
        assert_eq!((s.risk_value, s.risk), (12, 3));
        let q = method(Calculation::SqrtProduct, None);
        // √(3·4) = 3.46 → 3; √(4·4) = 4; √(3·4) → 3.
        let s = q.score(4, 3, 4);
        assert_eq!((s.likelihood, s.impact, s.risk), (3, 4, 3));
        // √(5·3) = 3.87 → 4; √(2·3) = 2.45 → 2; √(4·2) = 2.83 → 3.
        let s = q.score(2, 5, 3);
        assert_eq!((s.likelihood, s.impact, s.risk), (4, 2, 3));
    }

    #[test]
    fn bands_find_the_level_of_a_value() {
        let stage = Stage {
            matrix: None,
            bands: [(1, 4), (5, 9), (10, 14), (15, 19), (20, 25)],
        };
        assert_eq!(stage.level_of(1), Some(1));
        assert_eq!(stage.level_of(9), Some(2));
        assert_eq!(stage.level_of(20), Some(5));
        assert_eq!(stage.level_of(26), None);
        assert_eq!(stage.level_of(0), None);
    }
}
