# The R side of bench/poverty_vs_r.sh: every measure of the poverty engine,
# national, with standard errors, on the 20,000-household reference survey,
# the way an analyst does it with the reference tools (laeken 0.5.2 for the
# indicators, survey 4.1 for the design):
#   * point estimates of all 43 measures (FGT 0-2, Watts, Gini, Theil, MLD,
#     GE(2), Atkinson 0.5/1/2, 11 quantiles, quintile shares A and B, Palma
#     A and B, QSR, child poverty, household headcount, totals);
#   * linearised SEs: survey::svymean (FGT 0-2, Watts, mean) and the Gini
#     influence function (Langel & Tille) through survey::svytotal;
#   * delete-one-PSU jackknife (JKn, mse = TRUE) of every measure:
#     survey::withReplicates over the 1,250 replicate weights.
# Usage: Rscript bench/poverty_vs_r.R HOUSEHOLDS.csv PERSONS.csv [LINE]
# Prints per step "r_<step>_seconds" (elapsed) and "r_<step>_cpu_seconds"
# (user + system; what to compare on a shared machine) and a few values
# (to check that both sides computed the same thing).
suppressPackageStartupMessages({ library(laeken); library(survey) })
args <- commandArgs(trailingOnly = TRUE)
H <- read.csv(args[1]); P <- read.csv(args[2])
z <- if (length(args) >= 3) as.numeric(args[3]) else 200000
s <- H$hh_size; w <- H$weight; y <- H$cons_total / s
kids <- tabulate(match(P$hh_id[P$age <= 17], H$hh_id), nbins = nrow(H))
probs <- c(.1, .2, .25, .3, .4, .5, .6, .7, .75, .8, .9)

all_measures <- function(wh) {         # wh: household weights
  v <- wh * s; N <- sum(v); T <- sum(v * y); mu <- T / N
  poor <- y < z; g <- ifelse(poor, (z - y) / z, 0)
  o <- order(y); ys <- y[o]; vs <- v[o]; cv <- cumsum(vs); lv <- cumsum(vs * ys)
  q <- laeken::weightedQuantile(y, v, probs = probs)
  share_a <- function(lo, hi) sum((v * y)[y > lo & y <= hi]) / T
  cut <- c(-Inf, q[c(2, 5, 7, 10)], Inf)
  L <- function(p) approx(c(0, cv / N), c(0, lv / T), xout = p, ties = "ordered")$y
  lp <- L(c(.2, .4, .6, .8, .9))
  c(population = N, households = sum(wh), mean_pc = mu, median_pc = unname(q[6]),
    fgt0 = sum(v * poor) / N, fgt1 = sum(v * g) / N, fgt2 = sum(v * g^2) / N,
    watts = sum(v * ifelse(poor, log(z / y), 0)) / N,
    poor_persons = sum(v * poor), gap_total = z * sum(v * g),
    gini_midpoint = laeken::gini(y, v)$value / 100,
    theil = sum(v * y / mu * log(y / mu)) / N, mld = sum(v * log(mu / y)) / N,
    ge2 = (sum(v * (y / mu)^2) / N - 1) / 2,
    atk05 = 1 - (sum(v * sqrt(y / mu)) / N)^2,
    atk1 = 1 - exp(sum(v * log(y)) / N) / mu,
    atk2 = 1 - 1 / (sum(v * mu / y) / N),
    q = unname(q),
    share_a = sapply(1:5, function(k) share_a(cut[k], cut[k + 1])),
    share_b = diff(c(0, lp[1:4], 1)),
    palma_a = sum((v * y)[y > q[11]]) / sum((v * y)[y <= q[5]]),
    palma_b = (1 - lp[5]) / lp[2],
    qsr = laeken::qsr(y, v)$value,
    child_poverty = sum(wh * kids * poor) / sum(wh * kids),
    fgt0_hh = sum(wh * poor) / sum(wh))
}

cpu <- function() { p <- proc.time(); p[["user.self"]] + p[["sys.self"]] }
t0 <- proc.time()[["elapsed"]]; c0 <- cpu()
point <- all_measures(w)
t1 <- proc.time()[["elapsed"]]; c1 <- cpu()
H$pw <- w * s; H$poor <- as.numeric(y < z); H$gap <- ifelse(y < z, (z - y) / z, 0)
H$gap2 <- H$gap^2; H$watts <- ifelse(y < z, log(z / y), 0); H$y <- y
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~pw, data = H, nest = TRUE)
lin <- svymean(~poor + gap + gap2 + watts + y, des)
# Gini: linearised with the Langel-Tille influence function, design total.
o <- order(y); N <- sum(H$pw); T <- sum(H$pw * y); G <- point[["gini_midpoint"]]
Nk <- cumsum(H$pw[o]); Yk <- cumsum((H$pw * y)[o])
u <- numeric(nrow(H))
u[o] <- (2 * (Nk * y[o] - Yk) + T - N * y[o] - G * (T + N * y[o])) / (N * T)
H$u_gini <- u * s            # per household; pw = w * s carries the w
des <- update(des, u_gini_w = u)
se_gini_lin <- SE(svytotal(~u_gini_w, des))
t2 <- proc.time()[["elapsed"]]; c2 <- cpu()
rep <- as.svrepdesign(des, type = "JKn", mse = TRUE)
jk <- withReplicates(rep, function(wr, data) all_measures(wr / s))
t3 <- proc.time()[["elapsed"]]; c3 <- cpu()
cat(sprintf("r_point_seconds %.3f\n", t1 - t0))
cat(sprintf("r_linearized_seconds %.3f\n", t2 - t1))
cat(sprintf("r_jackknife_seconds %.3f\n", t3 - t2))
cat(sprintf("r_total_seconds %.3f\n", t3 - t0))
cat(sprintf("r_point_cpu_seconds %.3f\n", c1 - c0))
cat(sprintf("r_linearized_cpu_seconds %.3f\n", c2 - c1))
cat(sprintf("r_jackknife_cpu_seconds %.3f\n", c3 - c2))
cat(sprintf("r_total_cpu_seconds %.3f\n", c3 - c0))
cat(sprintf("r_measures %d\n", length(point)))
cat(sprintf("r_fgt0 %.15g\n", point[["fgt0"]]))
cat(sprintf("r_se_lin_fgt0 %.15g\n", SE(lin)[["poor"]]))
cat(sprintf("r_se_lin_gini %.15g\n", se_gini_lin))
cat(sprintf("r_se_jkn_median %.15g\n", SE(jk)[which(names(point) == "median_pc")]))
cat(sprintf("r_se_jkn_gini %.15g\n", SE(jk)[which(names(point) == "gini_midpoint")]))
