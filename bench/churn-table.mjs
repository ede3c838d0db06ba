// A deterministic, wide churn table for calibration benchmarks, shaped like
// a telecom's account table (the 51,047 × 56 "Cell2Cell" table we keep for
// acceptance is not redistributable): numeric columns with skew, blanks and
// "NA"; a handset price that is "Unknown" for half the accounts; 0/1 and
// Yes/No flags; categorical columns from 4 to 700 values; an id column.
// Churn is drawn from a known logistic model with the shapes a scorecard
// must express: a cliff (new accounts), a U-shape (usage), "missing means
// risk", and a text sentinel that carries signal.
//
//   import { churnTable } from './churn-table.mjs';
//   const { rows, csv, columns } = churnTable(35000);

export function churnTable(n, seed = 7) {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
  const prices = [10, 30, 40, 60, 80, 100, 130, 150, 180, 200, 250, 300];
  const areas = Array.from({ length: 700 }, (_, i) => `AREA${String(i).padStart(3, '0')}`);
  const rows = [];
  for (let i = 0; i < n; i++) {
    const months = Math.max(1, Math.round(Math.exp(2.8 + 0.7 * normal())));
    const minutes = Math.max(0, round(Math.exp(5.5 + 1.0 * normal()), 1));
    const revenue = round(20 + minutes * 0.08 + 15 * rnd());
    const equipDays = Math.round(Math.min(1800, months * 30 * rnd() + 30 * rnd()));
    const care = Math.floor(-Math.log(rnd() + 1e-12) * 1.2);
    const dropped = round(Math.max(0, minutes / 100 * rnd() * 2), 1);
    const unknownPrice = rnd() < 0.5;
    const price = unknownPrice ? 'Unknown' : pick(prices);
    const lastChange = rnd() < 0.06 ? '' : round(normal() * 40, 1);
    const credit = pick(['1-Highest', '2-High', '3-Good', '4-Medium', '5-Low', '6-VeryLow', '7-Lowest']);
    const creditRank = Number(credit[0]);
    const refurbished = rnd() < 0.14 ? 'Yes' : 'No';
    const webCapable = rnd() < 0.9 ? 'Yes' : 'No';
    const retention = rnd() < 0.04 ? 1 : 0;
    const age = rnd() < 0.03 ? 'NA' : Math.round(18 + 50 * rnd());
    // The true log-odds of churn.
    let z = -1.3;
    z += months < 6 ? 1.1 : months < 12 ? 0.35 : -0.1; // a cliff for new accounts
    z += 0.45 * ((Math.log(minutes + 1) - 5.5) ** 2) - 0.3; // a U: very low and very high usage
    z += lastChange === '' ? 0.7 : -0.05 * Math.max(-3, Math.min(3, lastChange / 40)); // missing means risk
    z += unknownPrice ? 0.35 : -0.1;
    z += 0.0007 * equipDays;
    z += 0.18 * Math.min(care, 5);
    z += 0.12 * (creditRank - 4);
    z += refurbished === 'Yes' ? 0.25 : 0;
    z += retention ? 0.9 : 0;
    z += 0.15 * normal();
    const churned = rnd() < 1 / (1 + Math.exp(-z));
    const row = {
      CustomerID: 3000000 + i * 4 + Math.floor(rnd() * 4),
      Churn: churned ? 'Yes' : 'No',
      MonthlyRevenue: revenue,
      MonthlyMinutes: minutes,
      TotalRecurringCharge: Math.round(revenue * 0.6),
      DirectorAssistedCalls: round(Math.max(0, normal() * 0.8), 2),
      OverageMinutes: Math.max(0, Math.round(minutes * 0.1 * normal())),
      RoamingCalls: round(Math.max(0, normal()), 1),
      PercChangeMinutes: lastChange,
      PercChangeRevenues: round(normal() * 10, 1),
      DroppedCalls: dropped,
      BlockedCalls: round(dropped * rnd(), 1),
      UnansweredCalls: round(minutes / 20 * rnd(), 1),
      CustomerCareCalls: care,
      ThreewayCalls: Math.floor(rnd() * 3),
      ReceivedCalls: round(minutes * (0.3 + 0.4 * rnd()), 1),
      OutboundCalls: round(minutes / 10 * rnd(), 1),
      InboundCalls: round(minutes / 20 * rnd(), 1),
      PeakCallsInOut: round(minutes / 4 * rnd(), 1),
      OffPeakCallsInOut: round(minutes / 5 * rnd(), 1),
      DroppedBlockedCalls: round(dropped * 1.3, 1),
      CallForwardingCalls: rnd() < 0.98 ? 0 : 1,
      CallWaitingCalls: round(rnd() * 3, 1),
      MonthsInService: months,
      UniqueSubs: 1 + Math.floor(-Math.log(rnd() + 1e-12) * 0.5),
      ActiveSubs: 1 + Math.floor(rnd() * 2),
      ServiceArea: pick(areas),
      Handsets: 1 + Math.floor(rnd() * 3),
      HandsetModels: 1 + Math.floor(rnd() * 2),
      CurrentEquipmentDays: equipDays,
      AgeHH1: age,
      AgeHH2: rnd() < 0.5 ? 0 : Math.round(18 + 50 * rnd()),
      ChildrenInHH: rnd() < 0.25 ? 'Yes' : 'No',
      HandsetRefurbished: refurbished,
      HandsetWebCapable: webCapable,
      TruckOwner: rnd() < 0.19 ? 'Yes' : 'No',
      RVOwner: rnd() < 0.08 ? 'Yes' : 'No',
      Homeownership: rnd() < 0.66 ? 'Known' : 'Unknown',
      BuysViaMailOrder: rnd() < 0.36 ? 'Yes' : 'No',
      RespondsToMailOffers: rnd() < 0.38 ? 'Yes' : 'No',
      OptOutMailings: rnd() < 0.01 ? 'Yes' : 'No',
      NonUSTravel: rnd() < 0.06 ? 'Yes' : 'No',
      OwnsComputer: rnd() < 0.19 ? 'Yes' : 'No',
      HasCreditCard: rnd() < 0.68 ? 'Yes' : 'No',
      RetentionCalls: retention,
      RetentionOffersAccepted: retention && rnd() < 0.3 ? 1 : 0,
      NewCellphoneUser: rnd() < 0.19 ? 'Yes' : 'No',
      NotNewCellphoneUser: rnd() < 0.14 ? 'Yes' : 'No',
      ReferralsMadeBySubscriber: rnd() < 0.95 ? 0 : 1,
      IncomeGroup: Math.floor(rnd() * 10),
      OwnsMotorcycle: rnd() < 0.01 ? 'Yes' : 'No',
      AdjustmentsToCreditRating: rnd() < 0.96 ? 0 : 1,
      HandsetPrice: price,
      MadeCallToRetentionTeam: retention ? 'Yes' : 'No',
      CreditRating: credit,
      PrizmCode: pick(['Suburban', 'Town', 'Rural', 'Other']),
      Occupation: pick(['Other', 'Professional', 'Crafts', 'Clerical', 'Self', 'Retired', 'Student', 'Homemaker']),
      MaritalStatus: pick(['Yes', 'No', 'Unknown']),
    };
    rows.push(row);
  }
  const columns = Object.keys(rows[0]);
  const cell = (v) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v));
  const csv = [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
  return { rows, csv, columns };
}
