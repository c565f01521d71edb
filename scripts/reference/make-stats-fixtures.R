# Reference values for the inference methods in src/analysis/stats/, computed with R.
#
# Usage (from the repository root):  Rscript scripts/reference/make-stats-fixtures.R
# Needs: R with the `survival`, `sandwich` and `jsonlite` packages
#        (Debian: apt-get install r-cran-survival r-cran-sandwich r-cran-jsonlite).
#
# It first writes the small input data sets to test/fixtures/stats/*.csv when they are missing
# (from fixed seeds, so a rerun gives the same files; delete a CSV to regenerate it), then READS
# those CSVs and writes the expected outputs beside them as *.expected.json. Both are checked in;
# the unit tests (src/analysis/stats/*.test.ts) compare the TypeScript methods to them.
#
# Where R has no direct implementation (Newcombe's hybrid score interval, its cluster-adjusted
# variant, Cohen's kappa standard error), the script computes it by hand from the published
# formulas, independently of the TypeScript code.

suppressMessages({
  library(survival)
  library(sandwich)
  library(jsonlite)
})

dir <- file.path("test", "fixtures", "stats")
if (!dir.exists(dir)) stop("run from the repository root (", dir, " not found)")
path <- function(name) file.path(dir, name)
write_input <- function(df, name) {
  if (!file.exists(path(name))) write.csv(df, path(name), row.names = FALSE, quote = FALSE)
  read.csv(path(name), stringsAsFactors = FALSE)
}
write_expected <- function(x, name) {
  writeLines(toJSON(x, digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE), path(name))
}
na_null <- function(v) ifelse(is.finite(v), v, NA)

# ---------------------------------------------------------------------------------------------
# Survival data: integer days (many ties), censoring, two covariates and 12 clusters with a
# shared frailty, so that robust and model-based standard errors differ.
set.seed(20261206)
n <- 90
cluster <- sample(1:12, n, replace = TRUE)
frailty <- exp(rnorm(12, 0, 0.5))[cluster]
x1 <- round(rnorm(n), 3)
x2 <- rbinom(n, 1, 0.4)
rate <- 0.08 * frailty * exp(0.5 * x1 - 0.7 * x2)
event_time <- ceiling(rexp(n, rate))
censor_time <- ceiling(runif(n, 5, 40))
surv_in <- write_input(data.frame(
  id = 1:n, time = pmin(event_time, censor_time), status = as.integer(event_time <= censor_time),
  x1 = x1, x2 = x2, cluster = cluster
), "survival.csv")

# A tiny curve that sits exactly at 1/2 over a stretch (the median is then the stretch's middle).
flat_in <- write_input(data.frame(time = c(1, 2, 3, 4, 4, 6), status = c(1, 1, 0, 1, 0, 1)), "km-flat.csv")

km_out <- function(d, type) {
  f <- survfit(Surv(time, status) ~ 1, data = d, conf.type = type)
  q <- quantile(f, probs = c(0.25, 0.5, 0.75))
  list(
    confType = type,
    time = f$time, atRisk = f$n.risk, events = f$n.event, censored = f$n.censor,
    survival = f$surv, stdErr = na_null(f$std.err),
    lower = na_null(f$lower), upper = na_null(f$upper),
    quantiles = lapply(seq_along(q$quantile), function(i) list(
      probability = c(0.25, 0.5, 0.75)[i], time = unname(q$quantile[i]),
      lower = unname(q$lower[i]), upper = unname(q$upper[i])
    ))
  )
}
write_expected(list(
  survival = lapply(c("log-log", "log", "plain"), function(t) km_out(surv_in, t)),
  flat = lapply(c("log-log", "plain"), function(t) km_out(flat_in, t))
), "kaplan-meier.expected.json")

# ---------------------------------------------------------------------------------------------
# Cox model, Breslow ties, converged tightly so that both sides agree to many digits.
ctl <- coxph.control(eps = 1e-11, iter.max = 100)
cox_out <- function(fit, d) {
  zk <- cox.zph(fit, transform = "km")$table
  zi <- cox.zph(fit, transform = "identity")$table
  list(
    coefficients = unname(coef(fit)),
    naiveVariance = unname(if (is.null(fit$naive.var)) fit$var else fit$naive.var),
    robustVariance = if (is.null(fit$naive.var)) NULL else unname(fit$var),
    logLikelihood = unname(fit$loglik),
    zph = list(
      km = list(chiSquare = unname(zk[, "chisq"]), p = unname(zk[, "p"])),
      identity = list(chiSquare = unname(zi[, "chisq"]), p = unname(zi[, "p"]))
    )
  )
}
fit_cluster <- coxph(Surv(time, status) ~ x1 + x2, data = surv_in, ties = "breslow", cluster = cluster, control = ctl)
fit_naive <- coxph(Surv(time, status) ~ x1 + x2, data = surv_in, ties = "breslow", control = ctl)
fit_robust <- coxph(Surv(time, status) ~ x1 + x2, data = surv_in, ties = "breslow", robust = TRUE, control = ctl)
write_expected(list(
  clustered = cox_out(fit_cluster, surv_in),
  naive = cox_out(fit_naive, surv_in),
  robustById = cox_out(fit_robust, surv_in)
), "cox.expected.json")

# ---------------------------------------------------------------------------------------------
# Competing risks: merged vs abandoned, censored when still open; clusters for the IJ variance.
set.seed(7)
m <- 70
cl <- sample(1:10, m, replace = TRUE)
tm <- ceiling(rexp(m, 0.07))
ta <- ceiling(rexp(m, 0.03))
tc <- ceiling(runif(m, 3, 45))
t_end <- pmin(tm, ta, tc)
cause <- ifelse(t_end == tc & tc < pmin(tm, ta), "", ifelse(tm <= ta, "merged", "abandoned"))
cr_in <- write_input(data.frame(id = 1:m, time = t_end, cause = cause, cluster = cl), "competing.csv")
cr_in$cause[is.na(cr_in$cause)] <- ""
status <- factor(ifelse(cr_in$cause == "", "censored", cr_in$cause), levels = c("censored", "abandoned", "merged"))
aj_out <- function(f) {
  u <- unclass(f)
  cols <- match(c("abandoned", "merged"), u$states)
  free <- match("(s0)", u$states)
  list(
    time = u$time, atRisk = u$n.risk[, free], free = u$pstate[, free],
    abandoned = list(value = u$pstate[, cols[1]], stdErr = u$std.err[, cols[1]], lower = na_null(u$lower[, cols[1]]), upper = na_null(u$upper[, cols[1]])),
    merged = list(value = u$pstate[, cols[2]], stdErr = u$std.err[, cols[2]], lower = na_null(u$lower[, cols[2]]), upper = na_null(u$upper[, cols[2]]))
  )
}
# Cluster-robust version: R's own influence values (survfit(influence = TRUE)) summed within each
# cluster, then the root of the sum of squares, and the same log band.
aj_clustered <- function(d, status) {
  f <- survfit(Surv(time, status) ~ 1, data = d, influence = TRUE)
  out <- aj_out(f)
  inf <- f$influence.pstate # [subject, time (first column is time 0), state]
  states <- unclass(f)$states
  for (s in c("abandoned", "merged")) {
    k <- match(s, states)
    se <- sapply(seq_along(out$time), function(j) sqrt(sum(rowsum(inf[, j + 1, k], d$cluster)^2)))
    p <- out[[s]]$value
    out[[s]]$stdErr <- se
    out[[s]]$lower <- na_null(ifelse(p > 0, p * exp(-z95 * se / p), NA))
    out[[s]]$upper <- na_null(ifelse(p > 0, pmin(1, p * exp(z95 * se / p)), NA))
  }
  out
}
z95 <- qnorm(0.975)
write_expected(list(
  plain = aj_out(survfit(Surv(time, status) ~ 1, data = cr_in)),
  clustered = aj_clustered(cr_in, status)
), "competing.expected.json")

# ---------------------------------------------------------------------------------------------
# Two proportions: Newcombe's hybrid score interval (method 10) from Wilson intervals by hand,
# and Fisher's exact test.
prop_in <- write_input(data.frame(
  x1 = c(5, 0, 20, 12, 3, 56, 9, 1),
  n1 = c(20, 15, 20, 100, 7, 70, 10, 400),
  x2 = c(2, 3, 10, 9, 0, 48, 1, 4),
  n2 = c(25, 15, 20, 100, 11, 80, 10, 380)
), "proportions.csv")
z <- qnorm(0.975)
wilson <- function(x, n) {
  p <- x / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z / (1 + z^2 / n) * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
  c(centre - half, centre + half)
}
newcombe <- function(x1, n1, x2, n2) {
  p1 <- x1 / n1
  p2 <- x2 / n2
  w1 <- wilson(x1, n1)
  w2 <- wilson(x2, n2)
  d <- p1 - p2
  c(d, d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
write_expected(lapply(seq_len(nrow(prop_in)), function(i) {
  r <- prop_in[i, ]
  nc <- newcombe(r$x1, r$n1, r$x2, r$n2)
  # prop.test without continuity correction is the Wilson interval: a check of the hand formula.
  stopifnot(abs(wilson(r$x1, r$n1)[2] - suppressWarnings(prop.test(r$x1, r$n1, correct = FALSE))$conf.int[2]) < 1e-12)
  list(
    difference = nc[1], lower = nc[2], upper = nc[3],
    fisherP = fisher.test(matrix(c(r$x1, r$x2, r$n1 - r$x1, r$n2 - r$x2), nrow = 2))$p.value
  )
}), "proportions.expected.json")

# Cluster-adjusted Newcombe: per group, the ratio-estimator variance of the pooled proportion over
# clusters, its design effect (floored at 1), effective sizes n/deff, Wilson on those, Newcombe.
set.seed(11)
cp <- data.frame(group = rep(c("a", "b"), c(14, 16)), cluster = 1:30)
cp$trials <- sample(2:12, 30, replace = TRUE)
cp$successes <- rbinom(30, cp$trials, ifelse(cp$group == "a", rbeta(30, 2, 6), rbeta(30, 1.5, 8)))
cp_in <- write_input(cp, "clustered-proportions.csv")
eff <- function(d) {
  y <- d$successes
  m <- d$trials
  n <- sum(m)
  p <- sum(y) / n
  k <- nrow(d)
  v_ratio <- k / (k - 1) * sum((y - p * m)^2) / n^2
  v_srs <- p * (1 - p) / n
  deff <- if (v_srs > 0) max(1, v_ratio / v_srs) else 1
  c(p = p, n = n, deff = deff, neff = n / deff)
}
ea <- eff(cp_in[cp_in$group == "a", ])
eb <- eff(cp_in[cp_in$group == "b", ])
nc <- newcombe(ea[["p"]] * ea[["neff"]], ea[["neff"]], eb[["p"]] * eb[["neff"]], eb[["neff"]])
write_expected(list(
  designEffect = c(ea[["deff"]], eb[["deff"]]),
  difference = nc[1], lower = nc[2], upper = nc[3]
), "clustered-proportions.expected.json")

# ---------------------------------------------------------------------------------------------
# Benjamini–Hochberg, distributions.
pv_in <- write_input(data.frame(p = c(0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251, 0.269, 0.275, 0.34, 0.341, 0.384, 0.569, 0.594, 0.696, 0.762, 0.94, 0.953, 1, 0.042)), "p-values.csv")
write_expected(list(adjusted = p.adjust(pv_in$p, method = "BH")), "p-values.expected.json")

dq <- c(1e-10, 1e-4, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.975, 0.999)
dx <- c(-8, -3.2, -1.96, -0.5, 0, 0.3, 1, 2.5, 6)
chi <- expand.grid(x = c(0.01, 0.5, 1, 3.84, 7, 15, 40), df = c(1, 2, 3, 7))
tt <- expand.grid(t = c(0.1, 1, 2.2, 4, 12), df = c(2, 5, 17, 60))
write_expected(list(
  normalQuantile = list(p = dq, value = qnorm(dq)),
  normalCdf = list(x = dx, value = pnorm(dx)),
  chiSquareUpperTail = list(x = chi$x, df = chi$df, value = pchisq(chi$x, chi$df, lower.tail = FALSE)),
  studentTwoSided = list(t = tt$t, df = tt$df, value = 2 * pt(tt$t, tt$df, lower.tail = FALSE)),
  studentQuantile = list(p = c(0.9, 0.975, 0.995), df = c(3, 10, 40), value = qt(c(0.9, 0.975, 0.995), c(3, 10, 40)))
), "distributions.expected.json")

# ---------------------------------------------------------------------------------------------
# Cohen's kappa with the large-sample standard error of Fleiss, Cohen & Everitt (1969), by hand.
set.seed(5)
r1 <- sample(c("neg", "pos", "zero"), 60, replace = TRUE, prob = c(0.3, 0.5, 0.2))
r2 <- ifelse(runif(60) < 0.6, r1, sample(c("neg", "pos", "zero"), 60, replace = TRUE))
ka_in <- write_input(data.frame(rater1 = r1, rater2 = r2), "kappa.csv")
lev <- sort(unique(c(ka_in$rater1, ka_in$rater2)))
tab <- table(factor(ka_in$rater1, lev), factor(ka_in$rater2, lev)) / nrow(ka_in)
po <- sum(diag(tab))
rs <- rowSums(tab)
cs <- colSums(tab)
pe <- sum(rs * cs)
kappa <- (po - pe) / (1 - pe)
a <- sum(diag(tab) * (1 - (rs + cs) * (1 - kappa))^2)
b <- 0
for (i in seq_along(lev)) for (j in seq_along(lev)) if (i != j) b <- b + tab[i, j] * (cs[i] + rs[j])^2
b <- (1 - kappa)^2 * b
cc <- (kappa - pe * (1 - kappa))^2
se <- sqrt((a + b - cc) / ((1 - pe)^2 * nrow(ka_in)))
se0 <- sqrt((pe + pe^2 - sum(rs * cs * (rs + cs))) / ((1 - pe)^2 * nrow(ka_in)))
write_expected(list(kappa = kappa, stdErr = unname(se), nullStdErr = unname(se0), observed = po, expected = pe), "kappa.expected.json")

# ---------------------------------------------------------------------------------------------
# OLS with classical and Newey–West (Bartlett kernel, fixed lag, no prewhitening, no small-sample
# adjustment) standard errors on an autocorrelated series.
set.seed(13)
nt <- 40
e <- as.numeric(arima.sim(list(ar = 0.6), nt))
u1 <- round(rnorm(nt, 10, 3), 2)
u2 <- round(cumsum(rnorm(nt)), 2)
ts_in <- write_input(data.frame(y = round(1 + 0.5 * u1 - 0.3 * u2 + e, 3), x1 = u1, x2 = u2), "time-series.csv")
fit <- lm(y ~ x1 + x2, data = ts_in)
write_expected(list(
  coefficients = unname(coef(fit)),
  stdErr = unname(sqrt(diag(vcov(fit)))),
  residualStdErr = summary(fit)$sigma,
  rSquared = summary(fit)$r.squared,
  pValues = unname(summary(fit)$coefficients[, 4]),
  neweyWest = lapply(c(0, 1, 3, 6), function(L) list(
    lag = L,
    variance = unname(NeweyWest(fit, lag = L, prewhite = FALSE, adjust = FALSE))
  ))
), "time-series.expected.json")

# ---------------------------------------------------------------------------------------------
# Bootstrap: the percentile interval of a difference of medians, resampling clusters, replayed
# from recorded uniforms (the TypeScript test feeds the same uniforms in the same order: for each
# replicate, one uniform per cluster, cluster = floor(u * clusters), clusters in ascending
# order of their ids). Also the moving-block bootstrap of a series mean, replayed the same way.
set.seed(17)
bd <- data.frame(cluster = sample(1:9, 50, replace = TRUE), group = sample(c("a", "b"), 50, replace = TRUE))
bd$value <- round(rexp(50, ifelse(bd$group == "a", 0.2, 0.35)), 2)
bs_in <- write_input(bd, "bootstrap.csv")
B <- 300
clusters <- sort(unique(bs_in$cluster))
kc <- length(clusters)
un_in <- write_input(data.frame(u = round(runif(B * kc), 12)), "bootstrap-uniforms.csv")
u <- un_in$u
stat <- rep(NA_real_, B)
for (b in 1:B) {
  pick <- clusters[floor(u[(b - 1) * kc + 1:kc] * kc) + 1]
  rows <- do.call(rbind, lapply(pick, function(cc) bs_in[bs_in$cluster == cc, ]))
  va <- rows$value[rows$group == "a"]
  vb <- rows$value[rows$group == "b"]
  if (length(va) && length(vb)) stat[b] <- median(va) - median(vb)
}
ok <- stat[!is.na(stat)]
ser <- ts_in$y
L <- 5
nb <- ceiling(nt / L)
bu <- write_input(data.frame(u = round(runif(200 * nb), 12)), "block-uniforms.csv")$u
bm <- sapply(1:200, function(b) {
  starts <- floor(bu[(b - 1) * nb + 1:nb] * (nt - L + 1)) + 1
  idx <- unlist(lapply(starts, function(s) s:(s + L - 1)))[1:nt]
  mean(ser[idx])
})
write_expected(list(
  medianDifference = list(
    estimate = median(bs_in$value[bs_in$group == "a"]) - median(bs_in$value[bs_in$group == "b"]),
    replicates = length(ok), failed = B - length(ok),
    lower = unname(quantile(ok, 0.025, type = 7)), upper = unname(quantile(ok, 0.975, type = 7))
  ),
  blockMean = list(blockLength = L, lower = unname(quantile(bm, 0.025, type = 7)), upper = unname(quantile(bm, 0.975, type = 7)))
), "bootstrap.expected.json")

cat("wrote", length(list.files(dir)), "files to", dir, "\n")
